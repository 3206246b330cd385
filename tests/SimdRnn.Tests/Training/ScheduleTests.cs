using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Training;
using Xunit;

namespace SimdRnn.Tests.Training;

/// <summary>The learning-rate schedules' rules.</summary>
public class ScheduleTests
{
    /// <summary>A loss value, or none; from a small set so that equal losses occur often.</summary>
    private static Gen<double?> Losses() =>
        Gen.Frequency((1, Gen.Constant<double?>(null)),
                      (4, Gen.Choose(0, 8).Select(i => (double?)(i * 0.25))));

    [Property]
    public Property HalveWhenLossRises_HalvesExactlyWhenTheLossRose() =>
        Prop.ForAll(Gen.Choose(1, 1_000_000).Select(i => i * 1e-6).ToArbitrary(), Losses().ToArbitrary(), Losses().ToArbitrary(),
            (rate, now, before) =>
            {
                double next = new HalveWhenLossRises().Next(rate, 3, now, before);
                bool rose = now.HasValue && before.HasValue && now.Value > before.Value;
                Assert.Equal(rose ? rate / 2 : rate, next);
            });

    [Fact]
    public void HalveWhenLossRises_TutorialSequence()
    {
        // Losses 5, 4, 4.5, 4.2, 4.3, 4.3: the rate halves after each rise (4 → 4.5, 4.2 → 4.3) and
        // nowhere else; an unchanged loss keeps it, as does the first evaluation.
        double?[] losses = [5, 4, 4.5, 4.2, 4.3, 4.3];
        var schedule = new HalveWhenLossRises();
        double rate = 0.005;
        var rates = new List<double>();
        for (int epoch = 0; epoch < losses.Length; epoch++)
        {
            rate = schedule.Next(rate, epoch, losses[epoch], epoch > 0 ? losses[epoch - 1] : null);
            rates.Add(rate);
        }
        Assert.Equal([0.005, 0.005, 0.0025, 0.0025, 0.00125, 0.00125], rates);
    }

    [Fact]
    public void HalveWhenLossRises_NaNLoss_KeepsTheRate()
    {
        var schedule = new HalveWhenLossRises();
        Assert.Equal(0.1, schedule.Next(0.1, 1, double.NaN, 1));
        Assert.Equal(0.1, schedule.Next(0.1, 1, 1, double.NaN));
    }

    [Property]
    public Property ExponentialDecay_MultipliesEveryEpoch_WhateverTheLoss() =>
        Prop.ForAll((from decay in Gen.Choose(1, 1000).Select(i => i / 1000.0)
                     from epochs in Gen.Choose(0, 50)
                     select (decay, epochs)).ToArbitrary(),
                    Losses().ToArbitrary(), Losses().ToArbitrary(),
            (c, now, before) =>
            {
                var schedule = new ExponentialDecay(c.decay);
                double rate = 0.1, expected = 0.1;
                for (int epoch = 0; epoch < c.epochs; epoch++)
                {
                    rate = schedule.Next(rate, epoch, now, before);
                    expected *= c.decay;
                    Assert.Equal(expected, rate);
                }
                Assert.Equal(c.decay, schedule.DecayPerEpoch);
            });

    [Fact]
    public void ExponentialDecay_KnownValues()
    {
        var schedule = new ExponentialDecay(0.5);
        Assert.Equal(0.05, schedule.Next(0.1, 0, null, null));
        Assert.Equal(0.025, schedule.Next(0.05, 1, 3, 2));
        Assert.Equal(0.1, new ExponentialDecay(1).Next(0.1, 7, null, null));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.0000001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ExponentialDecay_OutOfRange_ThrowsNamingIt(double decay)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(decay));
        Assert.Equal("decayPerEpoch", e.ParamName);
    }
}
