namespace NewsArchive.Web.Site;

/// <summary>The body of every JSON error: the API's refusals and the rate limiter's on /api/ (plain English).</summary>
public sealed record ErrorJson(string Error);
