# syntax=docker/dockerfile:1
# Multi-stage build of UCoFIA.Service. TORCH_BACKEND picks TorchSharp's native backend at build time:
#   docker build -t ucofia .                                  (CPU, libtorch-cpu-linux-x64)
#   docker build -t ucofia:cuda --build-arg TORCH_BACKEND=cuda .   (GPU, TorchSharp-cuda-linux)
ARG TORCH_BACKEND=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TORCH_BACKEND
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
# Restore in a layer of its own, from the build files and project files only: editing source reuses the
# cached packages (libtorch alone is hundreds of MB). Each project the service references is listed.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig UCoFIA.Service.sln ./
COPY src/UCoFIA.Service/UCoFIA.Service.csproj src/UCoFIA.Service/
COPY src/UCoFIA.Model/UCoFIA.Model.csproj src/UCoFIA.Model/
COPY src/UCoFIA.Media/UCoFIA.Media.csproj src/UCoFIA.Media/
COPY src/UCoFIA.Storage/UCoFIA.Storage.csproj src/UCoFIA.Storage/
RUN dotnet restore src/UCoFIA.Service -p:TorchBackend=${TORCH_BACKEND}
COPY deploy/patch-libtorchsharp.py deploy/
COPY src/ src/
RUN dotnet publish src/UCoFIA.Service -c Release --no-restore -p:TorchBackend=${TORCH_BACKEND} -o /app

# Runtime for the CPU image: the ASP.NET runtime plus ffmpeg. It has the unprivileged user 'app' (uid 1654).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime-cpu
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg curl && rm -rf /var/lib/apt/lists/*

# Runtime for the GPU image: CUDA runtime base (matching libtorch's CUDA 12.8) with the .NET runtime added,
# and the same unprivileged user as the .NET images.
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runtime-cuda
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg curl ca-certificates aspnetcore-runtime-10.0 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1654 app && useradd --uid 1654 --gid app --create-home app

FROM runtime-${TORCH_BACKEND} AS final
WORKDIR /app
COPY --from=build /app ./
COPY models/default /app/models/default
ENV ASPNETCORE_URLS=http://+:8080 \
    Model__Path=/app/models/default \
    Model__Device=auto \
    Storage__DataDirectory=/var/lib/ucofia
# The data directory belongs to the service's user; a named volume mounted there starts with this ownership.
RUN mkdir -p /var/lib/ucofia && chown app:app /var/lib/ucofia
# Numeric, so that an orchestrator's runAsNonRoot can check it without reading /etc/passwd.
USER 1654:1654
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s CMD curl -fsS http://localhost:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "UCoFIA.Service.dll"]
