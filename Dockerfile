# syntax=docker/dockerfile:1
# The site with its watcher, as one container: docs/deploy.md ("Docker").
# Not built on the machine this was written on (no Docker engine there): see docs/deploy.md.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# The project files first, so the restore is a cached layer until a dependency changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/NewsArchive.Web/NewsArchive.Web.csproj src/NewsArchive.Web/
RUN dotnet restore src/NewsArchive.Web/NewsArchive.Web.csproj
COPY src/ src/
RUN dotnet publish src/NewsArchive.Web/NewsArchive.Web.csproj -c Release --no-restore -o /app

# The Debian image: ICU and tzdata are in it (culture-aware text, Archive:TimeZone).
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The articles file, its index and the media folder; seeds are mounted at /seeds (read-only is enough).
RUN mkdir -p /data /seeds && chown "$APP_UID" /data
VOLUME /data
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    Archive__Database=/data/archive.db \
    Archive__SeedsPath=/seeds
EXPOSE 8080
# The image's unprivileged user (app, uid 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "NewsArchive.Web.dll"]
