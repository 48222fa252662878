# `vod-emulator serve` in a container: docker build -t vod-emulator . && docker run -p 9100:9100 vod-emulator
FROM python:3.12-slim
COPY . /src
RUN pip install --no-cache-dir /src && rm -rf /src
EXPOSE 9100
# GET /_emulator/health answers 200 once the server is up
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9100/_emulator/health', timeout=2)"]
ENTRYPOINT ["vod-emulator", "serve", "--host", "0.0.0.0", "--port", "9100"]
# Other containers reach it by a name: add --allow-host NAME (the Host rule admits loopback only).
CMD ["--in-memory"]
