"""Error reports (the e-mails Django sends ADMINS on a 500) without clear-text client
IP addresses: the request data they list has the client's address masked, as in logs."""

from django.views.debug import SafeExceptionReporterFilter

CLIENT_ADDRESS_KEYS = {
    "REMOTE_ADDR",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
}


class ClientAddressFilter(SafeExceptionReporterFilter):
    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        for key in CLIENT_ADDRESS_KEYS & meta.keys():
            meta[key] = self.cleansed_substitute
        return meta
