"""The two stages of a call, each with its own deadline."""

from django.db import models


class Stage(models.TextChoices):
    FILING = "filing", "申报单位报送推荐单位"
    RECOMMENDATION = "recommendation", "推荐单位报送省级受理单位"
