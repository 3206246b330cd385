using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Memory;

namespace SimdRnn.Kernels;

/// <summary>
/// The product of a weight with one-hot inputs. The seed's U x_t is column x_t of U (H, C);
/// SimdRnn keeps U transposed as a (C, H) table, so that column is one contiguous row.
/// </summary>
internal static class OneHot
{
    /// <summary>z_t = table[ids_t] for every t. z is (T, H), table is (C, H), ids is (T).</summary>
    public static void Gather<T>(MatrixSpan<T> z, ReadOnlyMatrixSpan<T> table, ReadOnlySpan<int> ids)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(z.Rows, z.Cols, table, ids);
        for (int t = 0; t < ids.Length; t++)
            table.Row(ids[t]).CopyTo(z.Row(t));
    }

    /// <summary>dtable[ids_t] += dz_t for every t (a repeated id accumulates).
    /// dtable is (C, H), dz is (T, H), ids is (T).</summary>
    public static void ScatterAdd<T>(MatrixSpan<T> dtable, ReadOnlyMatrixSpan<T> dz, ReadOnlySpan<int> ids)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check<T>(dz.Rows, dz.Cols, dtable, ids);
        for (int t = 0; t < ids.Length; t++)
        {
            var row = dtable.Row(ids[t]);
            TensorPrimitives.Add(row, dz.Row(t), row);
        }
    }

    private static void Check<T>(int rows, int cols, ReadOnlyMatrixSpan<T> table, ReadOnlySpan<int> ids)
    {
        if (rows != ids.Length)
            throw new ArgumentException($"There are {ids.Length} ids but the dense side has {rows} rows.", nameof(ids));
        if (cols != table.Cols)
            throw new ArgumentException($"The dense side has {cols} columns but the table has {table.Cols}.", nameof(table));
        foreach (int id in ids)
            if ((uint)id >= (uint)table.Rows)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"An id must be in [0, {table.Rows}).");
    }
}
