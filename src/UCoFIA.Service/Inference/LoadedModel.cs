namespace UCoFIA.Service.Inference;

/// <summary>The checkpoint the model worker holds: which folder, which features (<see cref="Model.ModelFingerprint"/>), on which device.</summary>
public sealed record LoadedModel(string Path, string Fingerprint, string Device, bool ZeroShot);
