using System.Diagnostics;

namespace NewsArchive.Web.Reader;

/// <summary>A parse that ran past its time budget; the file is abandoned and rejected with this message.</summary>
public sealed class ParseBudgetExceededException(TimeSpan budget)
    : Exception($"parse took longer than {budget.TotalSeconds:0.###} s");

/// <summary>
/// A deadline for one parse, checked cooperatively by the reader's loops and, through the
/// thread's <see cref="Current"/>, by AngleSharp's token callback and the sanitizer's node callback.
/// </summary>
public sealed class ParseBudget(TimeSpan budget)
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(5);

    private readonly long deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);

    [ThreadStatic]
    private static ParseBudget? current;

    /// <summary>The budget of the parse running on this thread, for callbacks of shared parsers.</summary>
    public static ParseBudget? Current => current;

    public void Check()
    {
        if (Stopwatch.GetTimestamp() > deadline)
        {
            throw new ParseBudgetExceededException(budget);
        }
    }

    /// <summary>Makes this the thread's current budget until the scope is disposed.</summary>
    public Scope Enter()
    {
        var previous = current;
        current = this;
        return new Scope(previous);
    }

    public readonly struct Scope(ParseBudget? previous) : IDisposable
    {
        public void Dispose() => current = previous;
    }
}
