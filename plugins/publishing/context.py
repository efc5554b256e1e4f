"""The name under which the build's content model is in the generators' shared context."""

# Every generator's `self.context[SITE]` is the content model of this build (content_model.site.Site), set by the
# publishing plugin when each generator is made; plugins take it from there rather than from a global.
SITE = "content_model"
