"""The OpenAPI 3.1 document of the quick-assessment API (served at /api/v1/openapi.json;
the API tests check every response against these schemas)."""

from __future__ import annotations

from typing import Any

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
STATE = {
    "type": "object",
    "required": ["started_at", "deadline", "submitted_at", "server_time"],
    "properties": {
        "started_at": {"type": ["string", "null"], "format": "date-time"},
        "deadline": {"type": ["string", "null"], "format": "date-time"},
        "submitted_at": {"type": ["string", "null"], "format": "date-time"},
        "server_time": {"type": "string", "format": "date-time"},
        "score": {"type": ["number", "null"]},
        "correct": {"type": ["integer", "null"]},
        "passed": {"type": ["boolean", "null"]},
        "questions": {"type": "integer"},
    },
}
OPTION = {
    "type": "object",
    "required": ["id", "letter", "text"],
    "properties": {
        "id": {"type": "integer"},
        "letter": {"type": "string"},
        "text": {"type": "string"},
    },
}
QUESTION = {
    "type": "object",
    "required": ["id", "number", "kind", "text", "section", "options"],
    "properties": {
        "id": {"type": "integer"},
        "number": {"type": "integer"},
        "kind": {"enum": ["single", "multiple", "true_false"]},
        "text": {"type": "string"},
        "section": {"type": "string"},
        "options": {"type": "array", "items": OPTION},
    },
}
ATTEMPT = {
    "type": "object",
    "required": ["assessment", "attempt", "questions", "answers"],
    "properties": {
        "assessment": {
            "type": "object",
            "required": ["id", "title", "time_limit_minutes", "closes_at", "question_count"],
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "time_limit_minutes": {"type": "integer"},
                "closes_at": {"type": "string", "format": "date-time"},
                "question_count": {"type": "integer"},
            },
        },
        "attempt": STATE,
        "questions": {"type": "array", "items": QUESTION},
        "answers": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "integer"}},
        },
    },
}
SAVED = {
    "type": "object",
    "required": ["saved", "question", "options", "answered_at"],
    "properties": {
        "saved": {"const": True},
        "question": {"type": "integer"},
        "options": {"type": "array", "items": {"type": "integer"}},
        "answered_at": {"type": "string", "format": "date-time"},
    },
}
SUBMITTED = {
    "allOf": [
        STATE,
        {
            "type": "object",
            "required": ["already"],
            "properties": {
                "already": {"type": "boolean"},
                "correct_options": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "integer"}},
                },
            },
        },
    ]
}
RESULTS = {
    "type": "object",
    "required": [
        "assessment",
        "expected",
        "joined",
        "submitted",
        "mean",
        "passed",
        "cells",
        "attempts",
        "items",
    ],
    "properties": {
        "assessment": {"type": "integer"},
        "expected": {"type": "integer"},
        "joined": {"type": "integer"},
        "submitted": {"type": "integer"},
        "mean": {"type": ["number", "null"]},
        "passed": {"type": "integer"},
        "cells": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "expected", "submitted", "mean", "pass_rate"],
                "properties": {
                    "name": {"type": "string"},
                    "expected": {"type": "integer"},
                    "submitted": {"type": "integer"},
                    "mean": {"type": ["number", "null"]},
                    "pass_rate": {"type": ["number", "null"]},
                },
            },
        },
        "attempts": {
            "description": "Từng đảng viên; null với người chỉ được xem số liệu tổng hợp",
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "required": ["card_number", "name", "submitted_at", "score", "passed", "source"],
                "properties": {
                    "card_number": {"type": "string"},
                    "name": {"type": "string"},
                    "submitted_at": {"type": ["string", "null"]},
                    "score": {"type": ["number", "null"]},
                    "passed": {"type": ["boolean", "null"]},
                    "source": {"enum": ["web", "paper"]},
                },
            },
        },
        "items": {"type": "array", "items": {"type": "object"}},
    },
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


TOKEN = {
    "name": "token",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "Mã bài làm (đường dẫn cá nhân)",
}
ANSWER: dict[str, Any] = {
    "summary": "Lưu câu trả lời của một câu hỏi",
    "parameters": [
        TOKEN,
        {
            "name": "question_id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer"},
        },
    ],
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["options"],
                    "properties": {"options": {"type": "array", "items": {"type": "integer"}}},
                }
            }
        }
    },
    "responses": {
        "200": _json(SAVED, "Đã lưu"),
        "400": _json(ERROR, "Dữ liệu sai"),
        "404": _json(ERROR, "Không có bài làm"),
        "409": _json(ERROR, "Đã nộp, hết giờ hoặc câu hỏi không thuộc bộ"),
        "413": _json(ERROR, "Dữ liệu gửi lên quá lớn"),
    },
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "dangvu — kiểm tra nhanh sau học tập",
        "version": "1.0.0",
        "description": "Tham gia, lấy bộ câu hỏi, lưu từng câu trả lời, nộp bài, xem kết quả.",
    },
    "paths": {
        "/api/v1/join": {
            "post": {
                "summary": "Đảng viên đã đăng nhập tham gia bằng mã ngắn",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["code"],
                                "properties": {"code": {"type": "string"}},
                            }
                        }
                    }
                },
                "responses": {
                    "200": _json(
                        {
                            "allOf": [
                                ATTEMPT,
                                {
                                    "type": "object",
                                    "required": ["token"],
                                    "properties": {"token": {"type": "string"}},
                                },
                            ]
                        },
                        "Mã bài làm và bộ câu hỏi (bắt đầu tính giờ)",
                    ),
                    "400": _json(ERROR, "Dữ liệu sai"),
                    "401": _json(ERROR, "Chưa đăng nhập"),
                    "403": _json(ERROR, "Thiếu mã bảo vệ CSRF của phiên làm việc"),
                    "413": _json(ERROR, "Dữ liệu gửi lên quá lớn"),
                    "404": _json(
                        ERROR,
                        "Mã sai, không có trong danh sách, hoặc tài khoản không gắn với đảng viên",
                    ),
                    "409": _json(
                        {
                            "allOf": [
                                ERROR,
                                {
                                    "type": "object",
                                    "required": ["token"],
                                    "properties": {"token": {"type": "string"}},
                                },
                            ]
                        },
                        "Chưa mở hoặc đã đóng: mã bài làm để quay lại sau",
                    ),
                },
            }
        },
        "/api/v1/attempts/{token}": {
            "get": {
                "summary": (
                    "Bài làm như hiện có, không thay đổi gì (chưa bắt đầu: chưa có câu hỏi; "
                    "đã bắt đầu: bộ câu hỏi và các câu đã lưu)"
                ),
                "parameters": [TOKEN],
                "responses": {
                    "200": _json(ATTEMPT, "Bài làm"),
                    "404": _json(ERROR, "Không có bài làm"),
                    "409": _json(ERROR, "Chưa mở hoặc đã đóng"),
                },
            }
        },
        "/api/v1/attempts/{token}/start": {
            "post": {
                "summary": "Bắt đầu làm bài: bắt đầu tính giờ (một lần) và nhận bộ câu hỏi",
                "parameters": [TOKEN],
                "responses": {
                    "200": _json(ATTEMPT, "Bộ câu hỏi"),
                    "404": _json(ERROR, "Không có bài làm"),
                    "409": _json(ERROR, "Chưa mở hoặc đã đóng"),
                },
            }
        },
        "/api/v1/attempts/{token}/answers/{question_id}": {
            "put": ANSWER,
            "post": ANSWER,  # the same, for clients that cannot send PUT
        },
        "/api/v1/attempts/{token}/submit": {
            "post": {
                "summary": "Nộp bài (gọi lại nhiều lần không thay đổi gì)",
                "parameters": [TOKEN],
                "responses": {
                    "200": _json(SUBMITTED, "Đã nộp"),
                    "404": _json(ERROR, "Không có bài làm"),
                    "409": _json(ERROR, "Nộp muộn"),
                },
            }
        },
        "/api/v1/assessments/{assessment_id}/results": {
            "get": {
                "summary": "Kết quả bài kiểm tra (cán bộ có quyền xem báo cáo của đơn vị)",
                "parameters": [
                    {
                        "name": "assessment_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "200": _json(RESULTS, "Kết quả"),
                    "401": _json(ERROR, "Chưa đăng nhập"),
                    "404": _json(ERROR, "Không có, hoặc ngoài phạm vi của người xem"),
                },
            }
        },
        "/api/v1/noop": {
            "get": {
                "summary": "Không làm gì (đo hiệu năng)",
                "responses": {"200": _json({"type": "object"}, "{}")},
            }
        },
    },
}
