using UCoFIA.Service.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddUCoFIAServices();

var app = builder.Build();
app.MapUCoFIAEndpoints();
app.Run();

/// <summary>Entry point; public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
