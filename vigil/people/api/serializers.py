from __future__ import annotations

from rest_framework import serializers

from vigil.accounts.models import User
from vigil.core import api as core_api
from vigil.people.models import Address, Alias, Identifier, Nominal


class AliasSerializer(core_api.ModelSerializer):
    class Meta:
        model = Alias
        fields = ["id", "kind", "family_name", "given_names"]
        read_only_fields = ["id"]


class IdentifierSerializer(core_api.ModelSerializer):
    class Meta:
        model = Identifier
        fields = ["id", "kind", "value"]
        read_only_fields = ["id"]


class AddressSerializer(core_api.ModelSerializer):
    class Meta:
        model = Address
        fields = ["id", "kind", "line_1", "line_2", "town", "postcode", "valid_from", "valid_to"]
        read_only_fields = ["id", "valid_to"]
        extra_kwargs = {"kind": {"required": True}}  # the service needs it: no silent default


class NominalSummarySerializer(core_api.ModelSerializer):
    class Meta:
        model = Nominal
        fields = ["id", "family_name", "given_names", "date_of_birth", "limited_access"]
        read_only_fields = fields


class NominalSerializer(core_api.ModelSerializer):
    aliases = AliasSerializer(many=True, read_only=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)
    addresses = AddressSerializer(many=True, read_only=True)

    class Meta:
        model = Nominal
        fields = [
            "id",
            "version",
            "family_name",
            "given_names",
            "date_of_birth",
            "sex",
            "review_date",
            "limited_access",
            "limited_access_reason",
            "aliases",
            "identifiers",
            "addresses",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class NominalCreateSerializer(serializers.Serializer):
    family_name = core_api.CharField(max_length=100)
    given_names = core_api.CharField(max_length=150)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(
        choices=Nominal._meta.get_field("sex").choices or [], required=False
    )
    pnc = core_api.CharField(max_length=40, required=False, allow_blank=True)


class NominalUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you read; a stale one is a 409.")
    family_name = core_api.CharField(max_length=100, required=False)
    given_names = core_api.CharField(max_length=150, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(
        choices=Nominal._meta.get_field("sex").choices or [], required=False
    )


class WriteResultSerializer(core_api.ModelSerializer):
    """What a change answers: the record's id and new version, not its content."""

    class Meta:
        model = Nominal
        fields = ["id", "version"]
        read_only_fields = fields


class LimitedAccessSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        help_text="Required: the version you read; a stale one is a 409."
    )
    limited = serializers.BooleanField()
    reason = core_api.CharField(max_length=300, required=False, allow_blank=True)
    restricted_to = core_api.VisibleSlugRelatedField(
        User, slug_field="username", many=True, required=False, help_text="Usernames"
    )
    excluded_from = core_api.VisibleSlugRelatedField(
        User, slug_field="username", many=True, required=False, help_text="Usernames"
    )
