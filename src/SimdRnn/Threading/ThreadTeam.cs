// A fixed team of threads for fork-join work inside one training step: the caller is worker 0,
// Count - 1 persistent background threads are workers 1 .. Count - 1.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace SimdRnn.Threading;

/// <summary>Work a <see cref="ThreadTeam"/> runs: every worker calls <see cref="Execute"/> once.</summary>
/// <remarks>Implemented by structs, which <see cref="ThreadTeam.Run{TWork}(ref TWork)"/> hands to the
/// workers by reference: no delegate, closure or boxing per call, and every worker sees (and may
/// update, with interlocked operations) the one instance the caller passed.</remarks>
internal interface ITeamWork
{
    /// <summary>This worker's share of the work. <paramref name="worker"/> is in
    /// [0, <paramref name="workers"/>); worker 0 is the thread that called Run.</summary>
    void Execute(int worker, int workers);
}

/// <summary>
/// A team of threads that runs fork-join work: the calling thread and <see cref="Count"/> - 1
/// persistent background threads each execute the work once, and the call returns when all have
/// finished. Kernels split their output into disjoint parts over a team, so a result does not
/// depend on which thread computed which part, nor on the number of threads.
/// </summary>
/// <remarks>
/// <para>Between calls the workers spin for a few tens of microseconds (consecutive kernels of a
/// training step follow each other closely) and then block, so an idle team costs no CPU.</para>
/// <para>A team runs one piece of work at a time and is not re-entrant: calling Run from inside
/// work that the same team is running, or from another thread while a Run is in progress, throws
/// <see cref="InvalidOperationException"/> (it would otherwise deadlock or interleave). A team of
/// one thread, <see cref="Single"/> included, runs the work inline on the caller and has no such
/// restriction.</para>
/// <para>An exception thrown by the work on any worker is rethrown on the caller once every
/// worker has finished: the exception itself when one worker failed, an
/// <see cref="AggregateException"/> (in worker order) when several did.</para>
/// <para>Dispose stops the threads. They are background threads, so an undisposed team does not
/// keep the process alive.</para>
/// </remarks>
public sealed unsafe class ThreadTeam : IDisposable
{
    /// <summary>The most threads a team may have.</summary>
    public const int MaxThreads = 256;

    // How long a worker polls for the next Run before it blocks. Kernels of a training step
    // follow each other within microseconds, and waking a blocked thread costs 5 to 50 us on
    // Linux; 50 us of polling (mostly pause instructions) bounds the idle cost after each Run.
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

    private readonly Worker[] _workers;
    private readonly SemaphoreSlim _done = new(0);
    private int _waiting;

    /// <summary>Workers past their polling window, blocked until the next Run (tests check that an
    /// idle team polls no longer than that window).</summary>
    internal int BlockedWorkers => Volatile.Read(ref _waiting);
    private readonly Exception?[] _errors;
    private readonly bool _shared;

    // The work of the current Run: a pinned pointer to the caller's struct and the method that
    // executes it, written before the workers are released and cleared after they finish.
    private void* _work;
    private delegate*<void*, int, int, void> _invoke;
    private int _remaining;
    private int _busy;
    private volatile bool _disposed;

    /// <summary>A team of <paramref name="threads"/> threads: the caller and
    /// <paramref name="threads"/> - 1 background threads, started here.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1 or above
    /// <see cref="MaxThreads"/>.</exception>
    public ThreadTeam(int threads) : this(threads, shared: false)
    {
    }

    private ThreadTeam(int threads, bool shared)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, MaxThreads);
        _shared = shared;
        _errors = new Exception?[threads];
        _workers = new Worker[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            var worker = new Worker(this, i + 1);
            _workers[i] = worker;
            worker.Thread.Start();
        }
    }

    /// <summary>The shared one-thread team: runs everything inline on the calling thread, from
    /// any number of threads at once. Disposing it does nothing.</summary>
    public static ThreadTeam Single { get; } = new(1, shared: true);

    /// <summary>The number of threads, the caller included.</summary>
    public int Count => _workers.Length + 1;

    /// <summary>Runs <paramref name="work"/> on every worker (the caller is worker 0) and returns
    /// when all have finished. Allocates nothing.</summary>
    /// <exception cref="ObjectDisposedException">The team has been disposed.</exception>
    /// <exception cref="InvalidOperationException">The team (of more than one thread) is already
    /// running work: a nested or concurrent call.</exception>
    internal void Run<TWork>(ref TWork work) where TWork : struct, ITeamWork
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_workers.Length == 0)
        {
            work.Execute(0, 1);
            return;
        }
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            throw new InvalidOperationException(BusyMessage);
        try
        {
            // The workers reach the struct through a raw pointer, so pin it: it may be a field of
            // a heap object that a GC would otherwise move while they run.
            fixed (byte* pinned = &Unsafe.As<TWork, byte>(ref work))
            {
                _work = pinned;
                _invoke = &Invoke<TWork>;
                Volatile.Write(ref _remaining, _workers.Length);
                // SemaphoreSlim.Release takes a lock, which publishes the fields above.
                foreach (Worker worker in _workers)
                    worker.Go.Release();
                try
                {
                    work.Execute(0, Count);
                }
                catch (Exception e)
                {
                    _errors[0] = e;
                }
                WaitForWorkers();
                _work = null;
                _invoke = null;
            }
            ThrowErrors();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Throws what <see cref="Run{TWork}(ref TWork)"/> would throw before running
    /// anything, for kernels that check their arguments once, even when they end up not using
    /// the team.</summary>
    /// <exception cref="ObjectDisposedException">The team has been disposed.</exception>
    /// <exception cref="InvalidOperationException">The team (of more than one thread) is running work.</exception>
    internal void ThrowIfUnavailable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Volatile.Read(ref _busy) != 0)
            throw new InvalidOperationException(BusyMessage);
    }

    private const string BusyMessage = "This ThreadTeam is already running work: Run is not re-entrant and runs one call at a time.";

    private static void Invoke<TWork>(void* work, int worker, int workers) where TWork : struct, ITeamWork
        => Unsafe.AsRef<TWork>(work).Execute(worker, workers);

    private void WaitForWorkers()
    {
        // The last worker releases _done once per Run, so the count goes back to zero here.
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        var spin = new SpinWait();
        while (_done.CurrentCount == 0 && Stopwatch.GetTimestamp() < deadline)
            spin.SpinOnce(sleep1Threshold: -1);
        _done.Wait();
    }

    private void ThrowErrors()
    {
        int failed = 0;
        Exception? first = null;
        foreach (Exception? e in _errors)
        {
            if (e is null)
                continue;
            failed++;
            first ??= e;
        }
        if (failed == 0)
            return;
        if (failed == 1)
        {
            Array.Clear(_errors);
            ExceptionDispatchInfo.Throw(first!);
        }
        var all = new List<Exception>(failed);
        foreach (Exception? e in _errors)
            if (e is not null)
                all.Add(e);
        Array.Clear(_errors);
        throw new AggregateException("Several workers of a ThreadTeam failed.", all);
    }

    /// <summary>Stops the background threads and waits for them to exit. Later calls to Run
    /// throw <see cref="ObjectDisposedException"/>. Does nothing on <see cref="Single"/> or when
    /// called again.</summary>
    public void Dispose()
    {
        if (_shared || _disposed)
            return;
        _disposed = true;
        foreach (Worker worker in _workers)
            worker.Go.Release();
        foreach (Worker worker in _workers)
            if (worker.Thread != Thread.CurrentThread)
                worker.Thread.Join();
        // The semaphores are left to the GC: without a wait handle they hold nothing native, and
        // a Dispose called from inside the work must not pull them from under its own worker.
    }

    /// <summary>One background thread and the semaphore it waits on: released once per Run, and
    /// once more to stop.</summary>
    private sealed class Worker
    {
        private readonly ThreadTeam _team;
        private readonly int _index;

        public Worker(ThreadTeam team, int index)
        {
            _team = team;
            _index = index;
            Thread = new Thread(Loop) { IsBackground = true, Name = $"SimdRnn team worker {index}" };
        }

        public Thread Thread { get; }

        public SemaphoreSlim Go { get; } = new(0);

        private void Loop()
        {
            ThreadTeam team = _team;
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + SpinTicks;
                var spin = new SpinWait();
                while (Go.CurrentCount == 0 && Stopwatch.GetTimestamp() < deadline)
                    spin.SpinOnce(sleep1Threshold: -1);
                Interlocked.Increment(ref team._waiting);
                Go.Wait();
                Interlocked.Decrement(ref team._waiting);
                if (team._disposed)
                    return;
                try
                {
                    team._invoke(team._work, _index, team.Count);
                }
                catch (Exception e)
                {
                    team._errors[_index] = e;
                }
                if (Interlocked.Decrement(ref team._remaining) == 0)
                    team._done.Release();
            }
        }
    }
}
