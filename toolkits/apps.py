from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitsConfig(AppConfig):
    name = "toolkits"
    verbose_name = _("Toolkits")

    def ready(self):
        # Toolkits join the learning catalogue and the learning cycle as the fourth mode;
        # learning knows them only through this registration.
        from learning import registry
        from toolkits.catalogue import toolkit_source

        registry.register(toolkit_source)

        from toolkits import digest

        for key, position, build in [
            ("toolkits_used", 25, digest.toolkits_used),
            ("new_toolkits", 55, digest.new_toolkits),
        ]:
            registry.register_digest_section(
                registry.DigestSection(
                    key=key,
                    position=position,
                    build=build,
                    template=f"emails/toolkits/digest/{key}",
                )
            )

        from community import data_rights
        from toolkits import data

        data_rights.register_exporter("toolkits", data.export)
        data_rights.register_eraser(data.erase)

        from innolab import pagecache

        for label in ["Toolkit", "MethodCard", "ToolkitFile", "DailyDownloads"]:
            pagecache.watch(f"toolkits.{label}", "toolkits")
        for label in ["ToolkitUse", "PersonDownload"]:
            pagecache.watch(f"toolkits.{label}", "toolkits", person="user_id")
