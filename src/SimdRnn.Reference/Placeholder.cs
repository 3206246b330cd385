namespace SimdRnn.Reference; internal static class Placeholder {}
