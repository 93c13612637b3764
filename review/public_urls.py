from django.urls import path

from . import publicity_views

app_name = "publicity"
urlpatterns = [
    path("", publicity_views.public_list, name="list"),
    path("<int:pk>/", publicity_views.public_detail, name="detail"),
]
