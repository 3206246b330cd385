using System.Numerics;
using SimdRnn.Models;
using SimdRnn.Reference;

namespace SimdRnn.Tests.Support;

/// <summary>Builds fast models with random weights and their reference twins with the same weights.</summary>
public static class ReferenceBridge
{
    /// <summary>A fast model of case <paramref name="c"/> with random weights drawn from the case's seed.</summary>
    public static RnnLanguageModel<T> RandomModel<T>(ModelCase c, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new RnnLanguageModel<T>(c.C, c.H, c.K, c.Seed);
        // Half the cases keep the tutorial's initialisation. The others draw U and V up to ±2, so
        // that saturated tanh units and peaked softmax outputs are exercised, and W up to
        // ±1.5/√H: a spectral radius below 1, because a larger W makes the recurrence chaotic and
        // then any two correct implementations part ways by far more than rounding.
        if (random.Next(2) == 0)
        {
            foreach (var p in new[] { RnnParameter.U, RnnParameter.V, RnnParameter.W })
            {
                var (rows, cols) = model.Weights.Shape(p);
                double scale = p == RnnParameter.W ? 1.5 / Math.Sqrt(c.H) * random.NextDouble() : 2 * random.NextDouble();
                model.Weights.CopyFrom(p, Data.Uniform<T>(random, rows * cols, scale));
            }
        }
        return model;
    }

    /// <summary>The reference twin of <paramref name="model"/>, with its weights converted exactly to double.</summary>
    public static ReferenceRnn Twin<T>(RnnLanguageModel<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var twin = new ReferenceRnn(model.VocabularySize, model.HiddenSize, model.BpttTruncate);
        Copy(model.Weights, RnnParameter.U, twin.U);
        Copy(model.Weights, RnnParameter.V, twin.V);
        Copy(model.Weights, RnnParameter.W, twin.W);
        return twin;
    }

    /// <summary>A parameter (or gradient) of the fast model, in its seed shape, as doubles.</summary>
    public static double[] Dense<T>(RnnParameters<T> parameters, RnnParameter p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = parameters.Shape(p);
        var a = new T[rows * cols];
        parameters.CopyTo(p, a);
        return Data.ToDouble<T>(a);
    }

    private static void Copy<T>(RnnParameters<T> from, RnnParameter p, double[] to) where T : unmanaged, IFloatingPointIeee754<T>
        => Dense(from, p).CopyTo(to, 0);
}
