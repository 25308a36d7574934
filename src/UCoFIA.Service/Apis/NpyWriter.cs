using System.Buffers.Binary;
using System.Text;

namespace UCoFIA.Service.Apis;

/// <summary>NumPy's .npy format, version 1.0: float32 little-endian, C order, header padded to 64 bytes.</summary>
public static class NpyWriter
{
    public const string MediaType = "application/x-npy";

    public static byte[] Write(float[] values, params int[] shape)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != values.Length)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) does not hold {values.Length} values.", nameof(shape));
        }
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        const int preamble = 10; // magic (6) + version (2) + header length (2)
        var padded = (preamble + header.Length + 1 + 63) / 64 * 64 - preamble;
        header = header.PadRight(padded - 1) + "\n";

        var bytes = new byte[preamble + header.Length + 4 * values.Length];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", bytes.AsSpan(1));
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(preamble));
        var body = bytes.AsSpan(preamble + header.Length);
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(body[(4 * i)..], values[i]);
        }
        return bytes;
    }
}
