namespace SimdRnn.Tests; public class P { [Xunit.Fact] public void A() => Xunit.Assert.True(true); }
