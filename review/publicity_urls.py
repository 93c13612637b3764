from django.urls import path

from .views import publicity

app_name = "publicity"
urlpatterns = [
    path("", publicity.public_list, name="list"),
    path("<int:pk>/", publicity.public_detail, name="detail"),
]
