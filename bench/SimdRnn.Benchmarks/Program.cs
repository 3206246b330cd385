// The benchmark entry point: pick benchmarks with --filter (e.g. --filter '*W1*'); with a filter
// it runs non-interactively. --job dry / --job short override the classes' own jobs for quick passes.
using BenchmarkDotNet.Running;

namespace SimdRnn.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
        => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchConfig.Create());
}
