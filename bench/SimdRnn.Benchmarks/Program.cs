// The benchmark entry point: pick benchmarks with --filter (e.g. --filter '*W1*'); with a filter
// it runs non-interactively. --job dry / --job short override the classes' own jobs for quick
// passes. --guard runs CI's speed-up guard (see SpeedupGuard) and sets the exit code.
using BenchmarkDotNet.Running;

namespace SimdRnn.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--guard")
            return SpeedupGuard.Run(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchConfig.Create());
        return 0;
    }
}
