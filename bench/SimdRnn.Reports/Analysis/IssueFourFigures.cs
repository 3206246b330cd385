// Figures quoted in issue #4 for context: PyTorch (TorchSharp 0.107, libtorch 2.10, oneMKL and
// oneDNN), numpy and OpenBLAS 0.3.21, one thread, medians of 5 runs, measured by the issue's
// author on a 2-core AMD Zen 4. They are not measured in the run being reported.
namespace SimdRnn.Reports.Analysis;

/// <summary>The issue #4 baselines, in seconds or GFLOP/s; null where the issue gives none.</summary>
public static class IssueFourFigures
{
    /// <summary>Where the figures come from, for the note under each table that quotes them.</summary>
    public const string Source =
        "PyTorch, numpy and OpenBLAS figures are quoted from issue #4 (TorchSharp 0.107 / libtorch 2.10 / " +
        "oneMKL-oneDNN, OpenBLAS 0.3.21; one thread, medians of 5 runs), measured by the issue's author on a " +
        "2-core AMD Zen 4, not in this run.";

    /// <summary>PyTorch's W1 seed step.</summary>
    public const double W1PyTorchSeconds = 5.0e-3;

    /// <summary>numpy float32's W1 seed step.</summary>
    public const double W1NumpySeconds = 2.3e-3;

    /// <summary>PyTorch's W2 step for <paramref name="cell"/> at hidden size <paramref name="h"/>.</summary>
    public static double? W2PyTorchSeconds(string cell, int h) => (cell, h) switch
    {
        ("RnnTanh", 128) => 12.2e-3,
        ("Gru", 128) => 30.0e-3,
        ("Lstm", 128) => 23.3e-3,
        ("RnnTanh", 512) => 104e-3,
        ("Gru", 512) => 302e-3,
        ("Lstm", 512) => 305e-3,
        _ => null,
    };

    /// <summary>PyTorch's W3 token at H 512 (LSTMCell for the LSTM).</summary>
    public static double? W3PyTorchSeconds(string cell) => cell switch
    {
        "Lstm" => 0.25e-3,
        "RnnTanh" => 0.09e-3,
        _ => null,
    };

    /// <summary>OpenBLAS SGEMM on one thread.</summary>
    public static double? OpenBlasGflops(GemmShape shape)
        => shape.Is(512, 512, 512) ? 92 : shape.Is(32, 512, 2048) ? 71 : null;
}
