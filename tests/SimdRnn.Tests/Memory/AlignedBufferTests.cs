using SimdRnn.Memory;
using Xunit;

namespace SimdRnn.Tests.Memory;

public unsafe class AlignedBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(100_003)]
    public void Buffer_IsAlignedTo64BytesAndZeroed(int length)
    {
        using var buffer = new AlignedBuffer<float>(length);
        Assert.Equal(0, (long)(nint)buffer.Pointer % 64);
        Assert.Equal(length, buffer.Span.Length);
        Assert.True(buffer.Span.IndexOfAnyExcept(0f) < 0);
    }

    [Fact]
    public void Buffer_AfterDispose_ThrowsObjectDisposed()
    {
        var buffer = new AlignedBuffer<double>(8);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
    }

    [Fact]
    public void Buffer_NegativeLength_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AlignedBuffer<float>(-1));
        Assert.Equal("length", e.ParamName);
    }

    [Theory]
    [InlineData(1, 16, 8)]
    [InlineData(16, 16, 16)]
    [InlineData(17, 32, 24)]
    [InlineData(100, 112, 104)]
    public void PaddedStride_RoundsRowsUpToWhole64ByteLines(int cols, int floatStride, int doubleStride)
    {
        Assert.Equal(floatStride, MatrixLayout.PaddedStride<float>(cols));
        Assert.Equal(doubleStride, MatrixLayout.PaddedStride<double>(cols));
    }

    [Fact]
    public void MatrixSpan_TooShortOrBadStride_ThrowsNamingTheProblem()
    {
        var data = new float[10];
        var e = Assert.Throws<ArgumentException>(() => new MatrixSpan<float>(data, 3, 4, 4));
        Assert.Contains("12", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixSpan<float>(data, 2, 4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixSpan<float>(data, -1, 4, 4));
        var ok = new MatrixSpan<float>(data, 3, 2, 4); // (3-1)*4 + 2 = 10 elements: fits exactly
        ok[2, 1] = 5;
        Assert.Equal(5, data[9]);
    }
}
