namespace UCoFIA.Model;

/// <summary>CLIP's pixel normalisation constants (RGB order), shared with the media pipeline.</summary>
public static class ClipImage
{
    /// <summary>A fresh copy per call, so no caller can change the constants for everyone.</summary>
    public static float[] Mean => [0.48145466f, 0.4578275f, 0.40821073f];

    public static float[] Std => [0.26862954f, 0.26130258f, 0.27577711f];
}
