using System.CommandLine;
using UCoFIA.Model;

namespace UCoFIA.Cli.Commands;

/// <summary><c>ucofia convert</c>: a torch.save checkpoint (the authors' UCoFiA or openai CLIP) to a model folder.</summary>
public static class ConvertCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "torch.save state dict: the authors' pytorch_model.bin.N or an openai CLIP ViT state dict" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "Folder with vocab.json and merges.txt (e.g. openai/clip-vit-base-patch32)", Required = true };
        var output = new Option<string>("--output") { Description = "Model folder to write", Required = true };
        var fp32 = new Option<bool>("--fp32") { Description = "Keep fp32 weights (default fp16)" };
        var shift = new Option<int>("--patch-shift-layers") { Description = "Authors' checkpoints: last ViT blocks with the patch shift", DefaultValueFactory = _ => 2 };
        var command = new Command("convert", "Convert a PyTorch checkpoint into a model folder the service loads") { checkpoint, tokenizer, output, fp32, shift };
        command.SetAction(result =>
        {
            Console.WriteLine(CheckpointConverter.Convert(result.GetValue(checkpoint)!, result.GetValue(tokenizer)!,
                result.GetValue(output)!, fp16: !result.GetValue(fp32), result.GetValue(shift)));
            return 0;
        });
        return command;
    }
}
