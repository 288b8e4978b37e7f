from django.apps import AppConfig


class WiFlightConfig(AppConfig):
    name = "integrations.wiflight"
    label = "wiflight"
    verbose_name = "Wi-Flight"

    def ready(self) -> None:
        from flights.tracks import register_playback_link, register_track_source
        from integrations.wiflight import subscribers
        from integrations.wiflight.flight_services import flight_playback_link, flight_track_request

        subscribers.register()
        # flights never imports an integration: it asks the sources registered here.
        register_track_source(flight_track_request)
        register_playback_link(flight_playback_link)
