from django import forms, template

register = template.Library()


@register.simple_tag
def field_widget(field, **extra):
    """Render a widget with Bootstrap classes, and link its error message for screen readers."""
    widget = field.field.widget
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxInput)):
        css = "form-check-input"
    attrs = {"class": css, **extra}
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}-error"
    return field.as_widget(attrs=attrs)
