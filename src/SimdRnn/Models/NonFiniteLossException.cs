namespace SimdRnn.Models;

/// <summary>
/// The loss became NaN or infinite. The step that found it changed no weight, so the model
/// holds the last good weights.
/// </summary>
public sealed class NonFiniteLossException : ArithmeticException
{
    /// <summary>Creates the exception with a message that says where the loss went bad.</summary>
    public NonFiniteLossException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception it explains further.</summary>
    public NonFiniteLossException(string message, Exception inner) : base(message, inner) { }
}
