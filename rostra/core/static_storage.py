"""WhiteNoise's compressed manifest storage, gzip only.

The `brotli` package (installed for compressed pages, rostra.core.compression) would make
WhiteNoise also write a Brotli copy of every static file at the slowest, strongest
setting: minutes of `collectstatic` on a busy small machine, at every new release. Static
files keep their gzip copies (nginx's `gzip_static`, WhiteNoise)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return super().create_compressor(**{**kwargs, "use_brotli": False})
