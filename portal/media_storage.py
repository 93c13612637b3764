"""Where uploads and generated PDFs are kept: the local MEDIA_ROOT folder, or an S3-compatible object store that
several web and worker machines share (MEDIA_S3_* environment variables, django-storages)."""


def s3_media_storage(environ):
    """The STORAGES["default"] entry for the bucket named by MEDIA_S3_BUCKET. The bucket stays private: files go
    out only through the permission-checked views, which read them through the storage."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["MEDIA_S3_BUCKET"],
            "endpoint_url": environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("MEDIA_S3_REGION") or None,
            "access_key": environ.get("MEDIA_S3_ACCESS_KEY") or None,
            "secret_key": environ.get("MEDIA_S3_SECRET_KEY") or None,
            "location": environ.get("MEDIA_S3_PREFIX", ""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "addressing_style": environ.get("MEDIA_S3_ADDRESSING_STYLE", "path"),
        },
    }
