using UCoFIA.Model;

namespace UCoFIA.Service.Inference;

/// <summary>
/// Work the model worker may run for several waiting callers in one pass (texts encoded together, queries scored
/// together). The worker groups what is waiting by the work instance and hands each group over at once.
/// </summary>
public interface IBatchedWork<TRequest, TResult>
{
    /// <returns>One result per request, in the order of <paramref name="requests"/>.</returns>
    IReadOnlyList<TResult> Execute(UCoFIAModel model, IReadOnlyList<TRequest> requests);
}
