"""The site's URLs: the shell, each workflow app, the admin and the language switch."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("shipping/", include("shipping.urls")),
    path("field/", include("fieldservice.urls")),
    path("warranty/", include("warranty.urls")),
    path("warranty/", include("warranty.repairs.urls")),
    path("", include("aftersales.servicedesk.urls")),
    path("", include("aftersales.reports.urls")),
    path("", include("aftersales.urls")),
]
