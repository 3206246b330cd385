// ThreadTeam: a fork-join team of Count threads; the caller is worker 0.
using System.Diagnostics;
using SimdRnn.Threading;
using Xunit;

namespace SimdRnn.Tests.Threading;

/// <summary>Tests that measure the whole process (CPU time, allocated bytes) and so must not run
/// beside other tests.</summary>
[CollectionDefinition(nameof(AloneCollection), DisableParallelization = true)]
public sealed class AloneCollection;

public class ThreadTeamTests
{
    /// <summary>Counts how often each worker index runs and records the worker count it saw.</summary>
    private struct CountingWork(int[] counts, int[] workers) : ITeamWork
    {
        public void Execute(int worker, int count)
        {
            Interlocked.Increment(ref counts[worker]);
            workers[worker] = count;
        }
    }

    /// <summary>Throws on the listed workers after the others have had time to be slower.</summary>
    private struct ThrowingWork(int[] throwOn, int[] finished) : ITeamWork
    {
        public void Execute(int worker, int workers)
        {
            if (Array.IndexOf(throwOn, worker) >= 0)
                throw new InvalidDataException($"worker {worker}");
            Thread.Sleep(20);
            Interlocked.Increment(ref finished[0]);
        }
    }

    /// <summary>Calls Run on the same team from inside the work, on one worker.</summary>
    private struct NestedWork(ThreadTeam team, int nester) : ITeamWork
    {
        public void Execute(int worker, int workers)
        {
            if (worker != nester)
                return;
            var inner = new CountingWork(new int[workers], new int[workers]);
            team.Run(ref inner);
        }
    }

    /// <summary>Work that lives in a heap object and collects garbage while the others run.</summary>
    private sealed class Holder
    {
        public GcWork Work;
    }

    private struct GcWork(int[] counts) : ITeamWork
    {
        public int Sum;

        public void Execute(int worker, int workers)
        {
            if (worker == 0)
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Interlocked.Add(ref Sum, worker + 1);
            Interlocked.Increment(ref counts[worker]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]  // more threads than this machine's cores
    public void Run_ExecutesEveryWorkerIndexExactlyOnce_PerRun(int threads)
    {
        using var team = new ThreadTeam(threads);
        Assert.Equal(threads, team.Count);
        const int runs = 300;
        int[] counts = new int[threads], seen = new int[threads];
        var work = new CountingWork(counts, seen);
        for (int r = 1; r <= runs; r++)
        {
            team.Run(ref work);
            for (int w = 0; w < threads; w++)
                Assert.Equal(r, Volatile.Read(ref counts[w]));
        }
        Assert.All(seen, s => Assert.Equal(threads, s));
    }

    [Fact]
    public void Run_SharesOneStruct_PinnedEvenWhenItLivesOnTheHeap()
    {
        using var team = new ThreadTeam(3);
        var holder = new Holder();
        int[] counts = new int[3];
        for (int r = 0; r < 20; r++)
        {
            holder.Work = new GcWork(counts);
            team.Run(ref holder.Work);
            Assert.Equal(1 + 2 + 3, holder.Work.Sum);
        }
        Assert.All(counts, c => Assert.Equal(20, c));
    }

    [Fact]
    public void Single_RunsInline_OnTheCaller()
    {
        Assert.Equal(1, ThreadTeam.Single.Count);
        int[] counts = new int[1], seen = new int[1];
        var work = new CountingWork(counts, seen);
        ThreadTeam.Single.Run(ref work);
        Assert.Equal([1], counts);
        Assert.Equal([1], seen);
        ThreadTeam.Single.Dispose();  // shared: does nothing
        ThreadTeam.Single.Run(ref work);
        Assert.Equal([2], counts);
    }

    [Theory]
    [InlineData(3, 0)]  // the caller
    [InlineData(3, 2)]  // a background worker
    [InlineData(1, 0)]
    public void Run_RethrowsAWorkersException_AfterAllWorkersFinish(int threads, int thrower)
    {
        using var team = new ThreadTeam(threads);
        int[] finished = new int[1];
        var work = new ThrowingWork([thrower], finished);
        var e = Assert.Throws<InvalidDataException>(() => team.Run(ref work));
        Assert.Equal($"worker {thrower}", e.Message);
        Assert.Equal(threads - 1, Volatile.Read(ref finished[0]));

        // The team is still usable.
        int[] counts = new int[threads], seen = new int[threads];
        var ok = new CountingWork(counts, seen);
        team.Run(ref ok);
        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public void Run_AggregatesTheExceptions_OfSeveralWorkers_InWorkerOrder()
    {
        using var team = new ThreadTeam(4);
        var work = new ThrowingWork([3, 1], new int[1]);
        var e = Assert.Throws<AggregateException>(() => team.Run(ref work));
        Assert.Equal(["worker 1", "worker 3"], e.InnerExceptions.Select(x => x.Message));
        Assert.All(e.InnerExceptions, x => Assert.IsType<InvalidDataException>(x));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Run_FromInsideTheSameTeamsWork_Throws_InsteadOfDeadlocking(int nester)
    {
        using var team = new ThreadTeam(2);
        var work = new NestedWork(team, nester);
        Assert.Throws<InvalidOperationException>(() => team.Run(ref work));

        int[] counts = new int[2], seen = new int[2];
        var ok = new CountingWork(counts, seen);
        team.Run(ref ok);
        Assert.Equal([1, 1], counts);
    }

    [Fact]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        var team = new ThreadTeam(3);
        var work = new CountingWork(new int[3], new int[3]);
        team.Run(ref work);
        team.Dispose();
        team.Dispose();  // a second Dispose does nothing
        Assert.Throws<ObjectDisposedException>(() => team.Run(ref work));

        var single = new ThreadTeam(1);
        single.Dispose();
        Assert.Throws<ObjectDisposedException>(() => single.Run(ref work));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(257)]
    [InlineData(int.MinValue)]
    public void Constructor_Throws_ForAThreadCountOutside1To256(int threads)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadTeam(threads));
        Assert.Equal("threads", e.ParamName);
    }

    [Fact]
    public void Constructor_Accepts_256Threads()
    {
        using var team = new ThreadTeam(ThreadTeam.MaxThreads);
        Assert.Equal(256, team.Count);
        int[] counts = new int[256], seen = new int[256];
        var work = new CountingWork(counts, seen);
        team.Run(ref work);
        Assert.All(counts, c => Assert.Equal(1, c));
    }
}

[Collection(nameof(AloneCollection))]
public class ThreadTeamIdleTests
{
    private struct NoWork : ITeamWork
    {
        public readonly void Execute(int worker, int workers)
        {
        }
    }

    [Fact]
    public void IdleTeam_BurnsNoCpu_BetweenRuns()
    {
        using var team = new ThreadTeam(3);
        var work = new NoWork();
        for (int i = 0; i < 100; i++)
            team.Run(ref work);
        // Past the workers' polling window every worker must be blocked on its semaphore, not
        // spinning: counted by the team itself, since the process's CPU time also holds the
        // runtime's background compilation.
        Thread.Sleep(50);
        Assert.Equal(team.Count - 1, team.BlockedWorkers);
        Thread.Sleep(200);
        Assert.Equal(team.Count - 1, team.BlockedWorkers);
    }
}
