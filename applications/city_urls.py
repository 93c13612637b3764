from django.urls import path

from .views import city

app_name = "city"
urlpatterns = [
    path("calls/<int:call_pk>/", city.inbox, name="inbox"),
    path("calls/<int:call_pk>/ranking/", city.ranking, name="ranking"),
    path("calls/<int:call_pk>/ranking/order/", city.reorder, name="reorder"),
    path("calls/<int:call_pk>/letter/", city.letter, name="letter"),
    path("letters/<int:pk>/seal.png", city.letter_seal, name="letter_seal"),
    path("calls/<int:call_pk>/withdraw/", city.withdraw, name="withdraw"),
    path("calls/<int:call_pk>/package/", city.request_letter_package, name="request_package"),
    path("calls/<int:call_pk>/package/<int:package_pk>/", city.letter_package, name="package"),
    path("calls/<int:call_pk>/package/<int:package_pk>/<str:fmt>/", city.letter_package_file, name="package_file"),
    path("applications/<int:pk>/move/<str:direction>/", city.move, name="move"),
    path("applications/<int:pk>/choose/<slug:action>/", city.choose, name="choose"),
    path("applications/<int:pk>/diff/", city.diff, name="diff"),
    path("applications/<int:pk>/checklist/", city.confirm_checklist, name="confirm_checklist"),
]
