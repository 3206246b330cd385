using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Cells;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Threading;

namespace SimdRnn.Models;

// The parameters: PyTorch's names and shapes, the initialisation, and the views the layers use.
public sealed partial class SequenceModel<T>
{
    private const string EmbeddingName = "embedding.weight", HeadWeightName = "head.weight", HeadBiasName = "head.bias";

    /// <summary>PyTorch's names of layer l's parameters.</summary>
    private readonly record struct LayerNames(string WeightIh, string WeightHh, string BiasIh, string BiasHh)
    {
        public static LayerNames For(int l) => new($"weight_ih_l{l}", $"weight_hh_l{l}", $"bias_ih_l{l}", $"bias_hh_l{l}");
    }

    /// <summary>The parameters in storage order, with PyTorch's names and shapes.</summary>
    private static List<ParameterSpec> Specs(SequenceModelOptions o)
    {
        int gh = o.Cell.Gates() * o.HiddenSize;
        var specs = new List<ParameterSpec>();
        if (o.Input == InputKind.Embedding)
            specs.Add(new(EmbeddingName, o.InputSize, o.EmbeddingSize));
        for (int l = 0; l < o.Layers; l++)
        {
            int input = l == 0 ? o.FirstLayerInput : o.HiddenSize;
            // One-hot input reads a column of W_ih per token: keep it as a (C, G·H) table.
            var names = LayerNames.For(l);
            specs.Add(new(names.WeightIh, gh, input, StoredTransposed: l == 0 && o.Input == InputKind.OneHot));
            specs.Add(new(names.WeightHh, gh, o.HiddenSize));
            if (o.Bias)
            {
                specs.Add(new(names.BiasIh, 1, gh));
                specs.Add(new(names.BiasHh, 1, gh));
            }
        }
        specs.Add(new(HeadWeightName, o.OutputSize, o.HiddenSize));
        if (o.Bias) specs.Add(new(HeadBiasName, 1, o.OutputSize));
        return specs;
    }

    private void Initialise(List<ParameterSpec> specs, Random random)
    {
        double bound = 1 / Math.Sqrt(_o.HiddenSize);
        foreach (var spec in specs)
            for (int i = 0; i < spec.Rows; i++)
                for (int j = 0; j < spec.Cols; j++)
                {
                    double value = spec.Name == EmbeddingName
                        ? Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())
                        : (2 * random.NextDouble() - 1) * bound;
                    Parameters[spec.Name, i, j] = T.CreateTruncating(value);
                }
    }

    private LayerWeights<T> Weights(int l) => new(
        Parameters.View(_names[l].WeightIh), Parameters.View(_names[l].WeightHh),
        _o.Bias ? Parameters.Vector(_names[l].BiasIh) : default, _o.Bias ? Parameters.Vector(_names[l].BiasHh) : default);

    private LayerGradients<T> LayerGradients(int l) => new(
        Gradients.View(_names[l].WeightIh), Gradients.View(_names[l].WeightHh),
        _o.Bias ? Gradients.Vector(_names[l].BiasIh) : default, _o.Bias ? Gradients.Vector(_names[l].BiasHh) : default);

    private void EnsureStateGradientBuffers(int b)
    {
        int size = _o.Layers * b * _o.HiddenSize;
        if (_initialStateGradient.Length < size)
        {
            _initialStateGradient = new T[size];
            _initialCellGradient = new T[size];
        }
    }

    private void SaveInitialStateGradient(StepScratch<T> scratch, int l, int b)
    {
        int hidden = _o.HiddenSize;
        for (int s = 0; s < b; s++)
        {
            scratch.DH.Row(s).CopyTo(_initialStateGradient.AsSpan((l * b + s) * hidden, hidden));
            scratch.DC.Row(s).CopyTo(_initialCellGradient.AsSpan((l * b + s) * hidden, hidden));
        }
    }
}
