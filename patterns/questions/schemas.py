"""What an instructor sends to ask a question (from the catalogue, or their own), validated."""

import json
import math

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator, model_validator

from patterns.ledger.errors import ApiError
from patterns.site import triggers

from . import catalogue

VOTER = r"^[A-Za-z0-9_-]{8,64}$"


class OptionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=160)
    value: str | None = Field(None, max_length=40, description="The measured value it stands for")
    low: float | None = Field(None, description="Or the range it stands for: from (inclusive)")
    high: float | None = Field(None, description="… to (inclusive)")

    @field_validator("low", "high")
    @classmethod
    def finite(cls, number):
        if number is not None and not math.isfinite(number):
            raise ValueError("must be a finite number")
        return number

    @model_validator(mode="after")
    def stands_for_something(self):
        if self.value is None and self.low is None and self.high is None:
            raise ValueError("an option stands for a value or a range (low and/or high)")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("low must not be above high")
        return self


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")
    style: str = Field(max_length=16)
    kind: str = Field(max_length=64)
    data: dict = Field(default_factory=dict)
    count: int = Field(1, ge=1, le=30)

    @field_validator("data")
    @classmethod
    def small(cls, data):
        if len(json.dumps(data)) > 2000:
            raise ValueError("data: at most 2,000 characters of JSON")
        return data

    @model_validator(mode="after")
    def known(self):
        if triggers.get(self.style, self.kind) is None:
            known = ", ".join(f"{t.style} {t.kind}" for t in triggers.all_triggers())
            raise ValueError(f"there is no action {self.style} {self.kind}; known: {known}")
        return self


class QuestionIn(Schema):
    """An instructor's own question: 2 to 5 options, the action (1 to 3 steps) and the declared
    measurement that decides which option is right."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=400)
    options: list[OptionIn] = Field(description="2 to 5 options")
    steps: list[StepIn] = Field(min_length=1, max_length=3)
    measurement: str = Field(max_length=80)
    explain: str = Field("", max_length=400)

    @field_validator("options")
    @classmethod
    def two_to_five(cls, options):
        if not 2 <= len(options) <= 5:
            raise ValueError(f"a question needs 2 to 5 options, not {len(options)}")
        return options

    @field_validator("measurement")
    @classmethod
    def declared(cls, key):
        if key not in catalogue.measurements():
            raise ValueError(f"must be one of: {', '.join(sorted(catalogue.measurements()))}")
        return key

    def check_options(self, where):
        """Each option must stand for what the measurement reads (one of its words, or a number
        range). Checked after parsing, so the error names the option at fault (`where`: the
        question's place in the body), which a form shows beside that option."""
        m = catalogue.measurements()[self.measurement]
        for index, option in enumerate(self.options):
            field = f"{where}.options.{index}"
            # The same shape as a validation error's detail ("<field>: <what is wrong>").
            if m.values and option.value not in m.values:
                detail = f"{field}.value: must be one of: {', '.join(m.values)}"
                raise ApiError(422, "invalid_body", detail, f"{field}.value")
            if not m.values and option.value is not None:
                detail = f"{field}.low: {m.label} is a number: give a range (low and/or high)"
                raise ApiError(422, "invalid_body", detail, f"{field}.low")
        return self

    def spec(self):
        return {
            "style": self.steps[0].style,
            "text": self.text,
            "options": [o.model_dump() for o in self.options],
            "steps": [s.model_dump() for s in self.steps],
            "measurement": self.measurement,
            "explain": self.explain,
            "shared": False,
        }


class AskIn(Schema):
    model_config = ConfigDict(extra="forbid")
    catalogue: str | None = Field(None, max_length=80, description="A built-in question's id")
    own: int | None = Field(None, description="The id of one of the room's own (saved) questions")
    question: QuestionIn | None = Field(None, description="A new question (it is saved too)")


class SaveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    question: QuestionIn


class ImportIn(Schema):
    model_config = ConfigDict(extra="forbid")
    questions: list[QuestionIn] = Field(min_length=1, max_length=50)


class VoteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    option: int = Field(ge=0, le=100)
    voter: str = Field(pattern=VOTER, description="An anonymous token this browser made up")


class TryIn(Schema):
    model_config = ConfigDict(extra="forbid")
    option: int = Field(ge=0, le=100, description="Your prediction (the option's index)")
