using System.ComponentModel.DataAnnotations;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Tests;

public sealed class ModelOptionsTests
{
    [Theory]
    [InlineData(0.3, 0.05, true)]
    [InlineData(0.9, 0.09, true)]
    [InlineData(0.95, 0.05, false)]
    [InlineData(0.6, 0.5, false)]
    public void Validate_LaneShares_MustLeaveSearchesPartOfTheWorker(double background, double maintenance, bool valid)
    {
        var options = new ModelOptions { BackgroundShare = background, MaintenanceShare = maintenance };
        var results = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Equal(valid, !results.Any(r => r.MemberNames.Contains(nameof(ModelOptions.MaintenanceShare))));
    }
}
