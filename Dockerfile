# syntax=docker/dockerfile:1
# Multi-stage build of UCoFIA.Service. TORCH_BACKEND picks TorchSharp's native backend at build time:
#   docker build -t ucofia .                                  (CPU, libtorch-cpu-linux-x64)
#   docker build -t ucofia:cuda --build-arg TORCH_BACKEND=cuda .   (GPU, TorchSharp-cuda-linux)
ARG TORCH_BACKEND=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TORCH_BACKEND
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig UCoFIA.Service.sln ./
COPY deploy/patch-libtorchsharp.py deploy/
COPY src/ src/
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
RUN dotnet publish src/UCoFIA.Service -c Release -p:TorchBackend=${TORCH_BACKEND} -o /app

# Runtime for the CPU image: the ASP.NET runtime plus ffmpeg.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime-cpu
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg curl && rm -rf /var/lib/apt/lists/*

# Runtime for the GPU image: CUDA runtime base (matching libtorch's CUDA 12.8) with the .NET runtime added.
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runtime-cuda
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg curl ca-certificates aspnetcore-runtime-10.0 \
    && rm -rf /var/lib/apt/lists/*

FROM runtime-${TORCH_BACKEND} AS final
WORKDIR /app
COPY --from=build /app ./
COPY models/default /app/models/default
ENV ASPNETCORE_URLS=http://+:8080 \
    Model__Path=/app/models/default \
    Model__Device=auto \
    Storage__DataDirectory=/var/lib/ucofia
RUN mkdir -p /var/lib/ucofia && chown app:app /var/lib/ucofia 2>/dev/null || true
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s CMD curl -fsS http://localhost:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "UCoFIA.Service.dll"]
