namespace UCoFIA.Training.Data;

/// <summary>One training or evaluation pair of a real dataset: a video file and one of its captions.</summary>
public sealed record VideoCaptionPair(string VideoPath, string Caption);
