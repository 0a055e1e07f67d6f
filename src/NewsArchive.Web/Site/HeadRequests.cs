using Microsoft.Extensions.Primitives;

namespace NewsArchive.Web.Site;

/// <summary>
/// HEAD answers like GET on every route: minimal API's MapGet accepts GET alone, so HEAD on a feed,
/// the sitemap or the API would be a 404. Each endpoint data source is wrapped once, after every
/// route is mapped, and a GET endpoint also accepts HEAD; the handler runs as for GET and the
/// server (Kestrel) sends its status and headers without the body.
/// </summary>
public static class HeadRequests
{
    public static void AnswerHeadLikeGet(this IEndpointRouteBuilder app)
    {
        var sources = app.DataSources.ToList();
        app.DataSources.Clear();
        foreach (var source in sources)
        {
            app.DataSources.Add(new HeadLikeGet(source));
        }
    }

    private sealed class HeadLikeGet(EndpointDataSource inner) : EndpointDataSource
    {
        private sealed record Wrapped(IReadOnlyList<Endpoint> From, IReadOnlyList<Endpoint> Endpoints);

        private Wrapped? _wrapped;

        public override IReadOnlyList<Endpoint> Endpoints
        {
            get
            {
                // Razor Pages may rebuild their list (a change token): wrap whichever list is current.
                var current = inner.Endpoints;
                var wrapped = _wrapped;
                if (wrapped is null || !ReferenceEquals(wrapped.From, current))
                {
                    _wrapped = wrapped = new Wrapped(current, current.Select(WithHead).ToList());
                }
                return wrapped.Endpoints;
            }
        }

        public override IChangeToken GetChangeToken() => inner.GetChangeToken();

        private static Endpoint WithHead(Endpoint e)
        {
            if (e is not RouteEndpoint route || e.Metadata.GetMetadata<HttpMethodMetadata>() is not { } methods
                || !methods.HttpMethods.Contains(HttpMethods.Get) || methods.HttpMethods.Contains(HttpMethods.Head))
            {
                return e;
            }
            var head = new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight);
            var metadata = e.Metadata.Select(m => ReferenceEquals(m, methods) ? head : m);
            return new RouteEndpoint(route.RequestDelegate!, route.RoutePattern, route.Order, new EndpointMetadataCollection(metadata), route.DisplayName);
        }
    }
}
