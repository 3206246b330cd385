namespace SimdRnn.Reference;

/// <summary>torch.nn.utils.clip_grad_norm_ and clip_grad_value_ on double arrays, as plain loops.</summary>
public static class ReferenceClipping
{
    /// <summary>g ← g · min(1, maxNorm / (‖g‖₂ + 10⁻⁶)); returns ‖g‖₂ before clipping (non-finite: g unchanged).</summary>
    public static double ClipByGlobalNorm(double[] gradients, double maxNorm)
    {
        double sum = 0;
        foreach (double g in gradients)
            sum += g * g;
        double norm = Math.Sqrt(sum);
        if (!double.IsFinite(norm))
            return norm;
        double coefficient = Math.Min(1, maxNorm / (norm + 1e-6));
        for (int i = 0; i < gradients.Length; i++)
            gradients[i] = gradients[i] * coefficient;
        return norm;
    }

    /// <summary>g ← clamp(g, −clipValue, clipValue).</summary>
    public static void ClipByValue(double[] gradients, double clipValue)
    {
        for (int i = 0; i < gradients.Length; i++)
            gradients[i] = Math.Clamp(gradients[i], -clipValue, clipValue);
    }
}
