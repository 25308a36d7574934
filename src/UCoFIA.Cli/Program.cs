using System.CommandLine;

var root = new RootCommand("ucofia: train, evaluate and operate UCoFIA video-text search");
return root.Parse(args).Invoke();
