using SimdRnn.Cells;
using SimdRnn.Models;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Models;

public class DropoutTests
{
    private static readonly SequenceCase Case = new(CellKind.Lstm, InputKind.Dense, HeadKind.LanguageModel, 3, true, 5, 3, 4, 12, 4, true, true, 8);

    [Fact]
    public void Dropout_IsOffAtInference_AndOnInTraining()
    {
        var data = SequenceData<double>.Random(Case, new Random(1));
        var batch = data.Batch<double>(Case);
        using var plain = new SequenceModel<double>(Case.Options);
        using var dropped = new SequenceModel<double>(Case.Options with { Dropout = 0.5 });
        Assert.Equal(plain.Loss(batch), dropped.Loss(batch));
        double training = dropped.ForwardBackward(batch);
        Assert.NotEqual(plain.Loss(batch), training);
    }

    [Fact]
    public void Dropout_IsDeterministicBySeed()
    {
        var batch = SequenceData<double>.Random(Case, new Random(2)).Batch<double>(Case);
        using var a = new SequenceModel<double>(Case.Options with { Dropout = 0.3 });
        using var b = new SequenceModel<double>(Case.Options with { Dropout = 0.3 });
        for (int i = 0; i < 3; i++) Assert.Equal(a.ForwardBackward(batch), b.ForwardBackward(batch));
    }

    [Fact]
    public void Dropout_GradientIsTheDerivativeOfTheMaskedLoss()
    {
        // With its masks frozen, a training forward is a fixed function: its gradient must match
        // the difference quotients, through the masks between the three layers.
        var batch = SequenceData<double>.Random(Case, new Random(3)).Batch<double>(Case);
        using var model = new SequenceModel<double>(Case.Options with { Dropout = 0.4 }) { ReuseDropoutMasks = true };
        model.ForwardBackward(batch);
        var analytic = model.Gradients.Flat.ToArray();
        foreach (string name in new[] { "weight_ih_l1", "weight_hh_l2", "bias_ih_l0", "head.weight" })
        {
            var (rows, cols) = model.Parameters.Shape(name);
            for (int i = 0; i < rows; i += 3)
                for (int j = 0; j < cols; j += 2)
                {
                    double original = model.Parameters[name, i, j], h = 1e-3;
                    double At(double v) { model.Parameters[name, i, j] = v; return model.ForwardBackward(batch); }
                    double m2 = At(original - 2 * h), m1 = At(original - h), p1 = At(original + h), p2 = At(original + 2 * h);
                    model.Parameters[name, i, j] = original;
                    double numeric = (8 * (p1 - m1) - (p2 - m2)) / (12 * h);
                    model.ForwardBackward(batch);
                    double a = model.Gradients[name, i, j];
                    Assert.True(Math.Abs(a - numeric) <= 1e-6 * Math.Max(Math.Abs(a) + Math.Abs(numeric), 1e-5), $"{name}[{i},{j}]: {a} vs {numeric}");
                }
        }
        Assert.Equal(analytic, model.Gradients.Flat.ToArray());
    }
}
