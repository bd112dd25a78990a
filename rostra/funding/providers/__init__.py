"""Payment providers whose webhooks record gifts: one module each (stripe, btcpay, kofi,
patreon, paypal), on the base class in `base.py`.

To add a provider, add one module here with a `PaymentProvider` subclass: set `name`
(its webhook then answers at `/funding/webhooks/<name>/`) and `label`, and implement
`verify(request)` (raise `WebhookRejected` unless the delivery is genuine) and
`events(request)` (the `DonationEvent`s it reports). `registry` finds it; the dispatch
view in `funding.views.webhooks` answers, logs and records through
`services.webhook_delivery_record`, as for every other provider. Add its channel kind to
`models.ChannelKind` if it is a new one, and tests beside the others in `funding/tests/`.
"""
