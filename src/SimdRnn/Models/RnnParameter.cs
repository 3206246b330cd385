namespace SimdRnn.Models;

/// <summary>The weights of the seed's model, named as in the tutorial.</summary>
public enum RnnParameter
{
    /// <summary>Input weights U, (H, C): s_t = tanh(U x_t + W s_{t-1}).</summary>
    U,
    /// <summary>Output weights V, (C, H): o_t = softmax(V s_t).</summary>
    V,
    /// <summary>Recurrent weights W, (H, H).</summary>
    W,
}
