namespace SimdRnn.Tests.Support;

/// <summary>
/// The one steady-state allocation check of the suite. The runtime itself allocates on a thread
/// now and then, once: the first time the thread blocks in a wait, grows its thread-static table,
/// or triggers a tier-up. Such a one-off lands in one window of calls at most, while an allocation
/// made by every call lands in every window, so the check takes the least of a few windows.
/// </summary>
public static class Allocations
{
    /// <summary>Runs <paramref name="call"/> <paramref name="warmUps"/> times, then
    /// <paramref name="windows"/> windows of <paramref name="callsPerWindow"/> calls, and returns
    /// the fewest managed bytes allocated in one window (0 ends it early): by the current thread,
    /// or with <paramref name="wholeProcess"/> by every thread (a team's workers included).</summary>
    public static long LeastPerWindow(Action call, int callsPerWindow = 5, int warmUps = 3, int windows = 4, bool wholeProcess = false)
    {
        for (int i = 0; i < warmUps; i++)
            call();
        long least = long.MaxValue;
        for (int w = 0; w < windows && least != 0; w++)
        {
            long before = Allocated(wholeProcess);
            for (int i = 0; i < callsPerWindow; i++)
                call();
            least = Math.Min(least, Allocated(wholeProcess) - before);
        }
        return least;
    }

    private static long Allocated(bool wholeProcess)
        => wholeProcess ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();
}
