import Foundation

// Generated from the repository's openapi.json; do not edit by hand. After changing
// openapi.json, run `STEWARD_UPDATE_OPENAPI=1 swift test --filter OpenAPIDocumentTests`
// to rewrite this file; `OpenAPIDocumentTests` fails while the two differ.

extension OpenAPIDocument {
    /// The text of the repository's `openapi.json`, compiled into the binary so that
    /// `GET /openapi.json` works from any working folder and for a copied binary alike.
    static let embeddedText = ###"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Steward API",
    "version": "1.0.0",
    "description": "The HTTP door of Steward: JSON in and out under /api. Errors are application/problem+json (RFC 9457) and carry `requestId`; every response carries X-Request-Id. Times are ISO 8601 in UTC. Lists answer `{\"items\": [...], \"nextCursor\": ...}` with keyset cursors; every list takes `limit` (1–100, default 20) and `cursor`. Requests are limited per client IP (429 with Retry-After), except /healthz and /metrics. Request bodies are JSON objects of at most 1 MiB; unknown fields are dropped. Text lengths count grapheme clusters after trimming."
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080",
      "description": "The default STEWARD_HOST and STEWARD_PORT."
    }
  ],
  "tags": [
    {
      "name": "operations",
      "description": "Health, metrics and this document."
    },
    {
      "name": "auth",
      "description": "Accounts, sessions and tokens."
    },
    {
      "name": "users",
      "description": "User administration."
    },
    {
      "name": "roles",
      "description": "Roles and permissions."
    },
    {
      "name": "posts",
      "description": "Posts and their moderation."
    },
    {
      "name": "comments",
      "description": "Comments and their moderation."
    },
    {
      "name": "security",
      "description": "The security audit trail."
    }
  ],
  "paths": {
    "/healthz": {
      "get": {
        "operationId": "health",
        "summary": "Health check",
        "tags": [
          "operations"
        ],
        "description": "Answers once the database answers. Not rate limited.\n\nWho: anyone.",
        "responses": {
          "200": {
            "description": "The database answers.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "security": []
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "summary": "Prometheus metrics",
        "tags": [
          "operations"
        ],
        "description": "Not rate limited.\n\nWho: anyone.",
        "responses": {
          "200": {
            "description": "Prometheus text format 0.0.4: `steward_http_requests_total{route,method,status}`, `steward_http_request_duration_seconds` (histogram by route), `steward_logins_total{outcome}`.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "text/plain; version=0.0.4": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "security": []
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document",
        "tags": [
          "operations"
        ],
        "description": "Who: anyone.",
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "security": []
      }
    },
    "/api/auth/register": {
      "post": {
        "operationId": "register",
        "summary": "Create an account",
        "tags": [
          "auth"
        ],
        "description": "409 when the email is already registered.\n\nWho: anyone.",
        "responses": {
          "201": {
            "description": "The new user, with role `user`.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RegisterRequest"
              }
            }
          }
        },
        "security": []
      }
    },
    "/api/auth/login": {
      "post": {
        "operationId": "login",
        "summary": "Sign in",
        "tags": [
          "auth"
        ],
        "description": "An unknown email, a wrong password and an inactive account get the same 401. After too many failures for one email (or from one IP) further attempts get 429 with Retry-After.\n\nWho: anyone.",
        "responses": {
          "200": {
            "description": "Signed in; the auth cookies are set too.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              },
              "Set-Cookie": {
                "$ref": "#/components/headers/SetAuthCookies"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenPair"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/LoginRequest"
              }
            }
          }
        },
        "security": []
      }
    },
    "/api/auth/refresh": {
      "post": {
        "operationId": "refresh",
        "summary": "Rotate the refresh token",
        "tags": [
          "auth"
        ],
        "description": "Takes `refreshToken` from the body, or the refresh_token cookie together with the X-CSRF-Token header (403 without it). Reusing a rotated token revokes its whole family.\n\nWho: holder.",
        "responses": {
          "200": {
            "description": "A new token pair; the auth cookies are renewed.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              },
              "Set-Cookie": {
                "$ref": "#/components/headers/SetAuthCookies"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenPair"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RefreshRequest"
              }
            }
          }
        },
        "security": [
          {},
          {
            "refreshCookie": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/auth/logout": {
      "post": {
        "operationId": "logout",
        "summary": "Sign out",
        "tags": [
          "auth"
        ],
        "description": "Who: signed in.",
        "responses": {
          "204": {
            "description": "Signed out; the refresh family named by the token's `sid` is revoked and the cookies cleared.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              },
              "Set-Cookie": {
                "$ref": "#/components/headers/ClearAuthCookies"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/auth/me": {
      "get": {
        "operationId": "me",
        "summary": "The signed-in user",
        "tags": [
          "auth"
        ],
        "description": "Who: signed in.",
        "responses": {
          "200": {
            "description": "The user with roles and effective permissions.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserWithPermissions"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": []
          }
        ]
      }
    },
    "/api/auth/password": {
      "post": {
        "operationId": "changePassword",
        "summary": "Change the password",
        "tags": [
          "auth"
        ],
        "description": "Who: signed in.",
        "responses": {
          "204": {
            "description": "Changed; every session of the user is signed out.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PasswordChangeRequest"
              }
            }
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/users": {
      "get": {
        "operationId": "listUsers",
        "summary": "List users",
        "tags": [
          "users"
        ],
        "description": "`q` matches email, first and last name.\n\nWho: `users:read`.",
        "responses": {
          "200": {
            "description": "A page of users.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/q"
          },
          {
            "$ref": "#/components/parameters/role"
          },
          {
            "$ref": "#/components/parameters/active"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          }
        ],
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": []
          }
        ]
      }
    },
    "/api/users/{id}": {
      "get": {
        "operationId": "getUser",
        "summary": "One user",
        "tags": [
          "users"
        ],
        "description": "Who: `users:read`.",
        "responses": {
          "200": {
            "description": "The user.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": []
          }
        ]
      },
      "patch": {
        "operationId": "updateUser",
        "summary": "Update a user",
        "tags": [
          "users"
        ],
        "description": "Who: `users:update`.",
        "responses": {
          "200": {
            "description": "The updated user.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UserUpdateRequest"
              }
            }
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/users/{id}/reset-password": {
      "post": {
        "operationId": "resetPassword",
        "summary": "Reset a user's password",
        "tags": [
          "users"
        ],
        "description": "Who: `users:reset-password`.",
        "responses": {
          "200": {
            "description": "A one-time password; the user's sessions are revoked.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TemporaryPassword"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/users/{id}/roles": {
      "put": {
        "operationId": "setUserRoles",
        "summary": "Set a user's roles",
        "tags": [
          "users"
        ],
        "description": "Who: `roles:assign`.",
        "responses": {
          "200": {
            "description": "The user with the new roles; their sessions are revoked.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RoleAssignmentRequest"
              }
            }
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/roles": {
      "get": {
        "operationId": "listRoles",
        "summary": "Roles with their permissions",
        "tags": [
          "roles"
        ],
        "description": "Who: `roles:read`.",
        "responses": {
          "200": {
            "description": "Every role.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RoleList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": []
          }
        ]
      }
    },
    "/api/roles/{name}/permissions": {
      "put": {
        "operationId": "setRolePermissions",
        "summary": "Set a role's permissions",
        "tags": [
          "roles"
        ],
        "description": "Who: `roles:update`.",
        "responses": {
          "200": {
            "description": "The role with its new permissions.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Role"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/roleName"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RolePermissionsRequest"
              }
            }
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/posts": {
      "get": {
        "operationId": "listPosts",
        "summary": "List posts",
        "tags": [
          "posts"
        ],
        "description": "Published posts; with `posts:read:any`, posts of any status; authors also see their own. `q` is a full-text search over titles and content.\n\nWho: anyone.",
        "responses": {
          "200": {
            "description": "A page of posts.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PostList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/status"
          },
          {
            "$ref": "#/components/parameters/author"
          },
          {
            "$ref": "#/components/parameters/tag"
          },
          {
            "$ref": "#/components/parameters/q"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          }
        ],
        "security": [
          {},
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": []
          }
        ]
      },
      "post": {
        "operationId": "createPost",
        "summary": "Create a post",
        "tags": [
          "posts"
        ],
        "description": "Checks run in this order: input (400), at most 10 posts per author in any 24 hours (429 with Retry-After), unique title per author (409).\n\nWho: `posts:create`.",
        "responses": {
          "201": {
            "description": "The new post.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Post"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PostCreateRequest"
              }
            }
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/posts/{id}": {
      "get": {
        "operationId": "getPost",
        "summary": "One post",
        "tags": [
          "posts"
        ],
        "description": "Who: anyone who may see it (as the list).",
        "responses": {
          "200": {
            "description": "The post with its tags and author.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Post"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "security": [
          {},
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": []
          }
        ]
      },
      "patch": {
        "operationId": "updatePost",
        "summary": "Edit a post",
        "tags": [
          "posts"
        ],
        "description": "Who: the author with `posts:update:own`, or `posts:update`.",
        "responses": {
          "200": {
            "description": "The updated post.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Post"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PostUpdateRequest"
              }
            }
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      },
      "delete": {
        "operationId": "deletePost",
        "summary": "Delete a post",
        "tags": [
          "posts"
        ],
        "description": "Who: the author with `posts:delete:own`, or `posts:delete`.",
        "responses": {
          "204": {
            "description": "Deleted.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/posts/{id}/publish": {
      "post": {
        "operationId": "publishPost",
        "summary": "Publish a post",
        "tags": [
          "posts"
        ],
        "description": "Who: `posts:publish`.",
        "responses": {
          "200": {
            "description": "The published post.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Post"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/posts/{id}/archive": {
      "post": {
        "operationId": "archivePost",
        "summary": "Archive a post",
        "tags": [
          "posts"
        ],
        "description": "Who: `posts:archive`.",
        "responses": {
          "200": {
            "description": "The archived post.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Post"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/posts/{id}/comments": {
      "get": {
        "operationId": "listComments",
        "summary": "Visible comments of a post",
        "tags": [
          "comments"
        ],
        "description": "Who: anyone who may see the post.",
        "responses": {
          "200": {
            "description": "A page of visible comments, each with `parentId`.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CommentList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          }
        ],
        "security": [
          {},
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": []
          }
        ]
      },
      "post": {
        "operationId": "createComment",
        "summary": "Comment on a post",
        "tags": [
          "comments"
        ],
        "description": "Who: `comments:create`.",
        "responses": {
          "201": {
            "description": "The new comment.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Comment"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CommentCreateRequest"
              }
            }
          }
        },
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/comments/{id}": {
      "delete": {
        "operationId": "deleteComment",
        "summary": "Delete a comment",
        "tags": [
          "comments"
        ],
        "description": "Who: the author with `comments:delete:own`, or `comments:delete`.",
        "responses": {
          "204": {
            "description": "Deleted.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/comments/{id}/hide": {
      "post": {
        "operationId": "hideComment",
        "summary": "Hide a comment",
        "tags": [
          "comments"
        ],
        "description": "Who: `comments:hide`.",
        "responses": {
          "200": {
            "description": "The hidden comment.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Comment"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/id"
          }
        ],
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": [],
            "csrfToken": []
          }
        ]
      }
    },
    "/api/security-events": {
      "get": {
        "operationId": "listSecurityEvents",
        "summary": "The security audit trail",
        "tags": [
          "security"
        ],
        "description": "Who: `logs:read`.",
        "responses": {
          "200": {
            "description": "A page of security events.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/XRequestId"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SecurityEventList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/event"
          },
          {
            "$ref": "#/components/parameters/userId"
          },
          {
            "$ref": "#/components/parameters/since"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          }
        ],
        "security": [
          {
            "bearerAuth": []
          },
          {
            "cookieAuth": []
          }
        ]
      }
    }
  },
  "components": {
    "schemas": {
      "FieldError": {
        "type": "object",
        "required": [
          "field",
          "message"
        ],
        "properties": {
          "field": {
            "type": "string",
            "description": "The field as the client sent it, like `title` or `tags[2]`.",
            "examples": [
              "title"
            ]
          },
          "message": {
            "type": "string",
            "examples": [
              "must be 5 to 200 characters"
            ]
          }
        }
      },
      "Problem": {
        "type": "object",
        "description": "An error answer, RFC 9457 (application/problem+json).",
        "required": [
          "type",
          "title",
          "status",
          "detail",
          "requestId"
        ],
        "properties": {
          "type": {
            "type": "string",
            "description": "Always `about:blank`: the status says what kind of problem it is.",
            "examples": [
              "about:blank"
            ]
          },
          "title": {
            "type": "string",
            "description": "The reason phrase of the status.",
            "examples": [
              "Bad Request"
            ]
          },
          "status": {
            "type": "integer",
            "minimum": 400,
            "maximum": 599,
            "examples": [
              400
            ]
          },
          "detail": {
            "type": "string",
            "description": "What went wrong, safe to show. A 500 always says `Something went wrong on our side.`",
            "examples": [
              "The input is not valid."
            ]
          },
          "requestId": {
            "type": "string",
            "description": "Equal to the X-Request-Id response header; quote it when reporting a problem."
          },
          "errors": {
            "type": "array",
            "description": "Every failing field, for validation problems.",
            "items": {
              "$ref": "#/components/schemas/FieldError"
            }
          }
        }
      },
      "Health": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "const": "ok"
          }
        }
      },
      "User": {
        "type": "object",
        "required": [
          "id",
          "email",
          "firstName",
          "lastName",
          "isActive",
          "roles",
          "createdAt"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "The token's `sub` claim is this id as a decimal string."
          },
          "email": {
            "type": "string",
            "format": "email",
            "description": "Stored trimmed and lower-case."
          },
          "firstName": {
            "type": "string"
          },
          "lastName": {
            "type": "string"
          },
          "isActive": {
            "type": "boolean"
          },
          "roles": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Role names."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601, UTC"
          }
        }
      },
      "UserWithPermissions": {
        "allOf": [
          {
            "$ref": "#/components/schemas/User"
          },
          {
            "type": "object",
            "required": [
              "permissions"
            ],
            "properties": {
              "permissions": {
                "type": "array",
                "items": {
                  "type": "string"
                },
                "description": "Effective permissions (`resource:action`) granted by the user's roles."
              }
            }
          }
        ]
      },
      "UserList": {
        "type": "object",
        "description": "A page of users, by id.",
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/User"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ],
            "description": "Pass as `cursor` to get the next page; null on the last page."
          }
        }
      },
      "TokenPair": {
        "type": "object",
        "required": [
          "accessToken",
          "tokenType",
          "expiresIn",
          "refreshToken",
          "user"
        ],
        "properties": {
          "accessToken": {
            "type": "string",
            "description": "A JWT (HS256); send as `Authorization: Bearer <token>`."
          },
          "tokenType": {
            "type": "string",
            "const": "Bearer"
          },
          "expiresIn": {
            "type": "integer",
            "description": "Seconds until the access token expires."
          },
          "refreshToken": {
            "type": "string",
            "description": "Opaque; each use rotates it, and reusing a rotated token revokes its whole family."
          },
          "user": {
            "$ref": "#/components/schemas/User"
          }
        }
      },
      "Role": {
        "type": "object",
        "required": [
          "name",
          "description",
          "permissions"
        ],
        "properties": {
          "name": {
            "type": "string",
            "examples": [
              "moderator"
            ]
          },
          "description": {
            "type": "string"
          },
          "permissions": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "examples": [
              [
                "posts:publish",
                "comments:hide"
              ]
            ]
          }
        }
      },
      "RoleList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Role"
            }
          }
        }
      },
      "AuthorSummary": {
        "type": "object",
        "required": [
          "id",
          "firstName",
          "lastName"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "firstName": {
            "type": "string"
          },
          "lastName": {
            "type": "string"
          }
        }
      },
      "Post": {
        "type": "object",
        "required": [
          "id",
          "title",
          "content",
          "status",
          "authorId",
          "author",
          "tags",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "title": {
            "type": "string"
          },
          "content": {
            "type": "string",
            "description": "Sanitized rich text."
          },
          "status": {
            "type": "string",
            "enum": [
              "draft",
              "published",
              "archived"
            ]
          },
          "authorId": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "author": {
            "$ref": "#/components/schemas/AuthorSummary"
          },
          "tags": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601, UTC"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601, UTC"
          }
        }
      },
      "PostList": {
        "type": "object",
        "description": "A page of posts, newest first.",
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Post"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ],
            "description": "Pass as `cursor` to get the next page; null on the last page."
          }
        }
      },
      "Comment": {
        "type": "object",
        "required": [
          "id",
          "postId",
          "parentId",
          "content",
          "status",
          "authorId",
          "author",
          "createdAt"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "postId": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "parentId": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "minimum": 1,
            "description": "The comment this one answers, on the same post; null for a top-level comment."
          },
          "content": {
            "type": "string",
            "description": "Sanitized rich text."
          },
          "status": {
            "type": "string",
            "enum": [
              "visible",
              "hidden"
            ]
          },
          "authorId": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "author": {
            "$ref": "#/components/schemas/AuthorSummary"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601, UTC"
          }
        }
      },
      "CommentList": {
        "type": "object",
        "description": "A page of visible comments, oldest first.",
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Comment"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ],
            "description": "Pass as `cursor` to get the next page; null on the last page."
          }
        }
      },
      "SecurityEvent": {
        "type": "object",
        "required": [
          "id",
          "time",
          "event",
          "userId",
          "actorId",
          "client",
          "details"
        ],
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "time": {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601, UTC"
          },
          "event": {
            "type": "string",
            "enum": [
              "SUCCESSFUL_LOGIN",
              "FAILED_LOGIN",
              "ACCOUNT_LOCKED",
              "LOGOUT",
              "PASSWORD_CHANGE",
              "PASSWORD_RESET",
              "ROLE_CHANGE",
              "USER_UPDATE",
              "PERMISSION_DENIED",
              "TOKEN_REUSE",
              "CONTENT_MODERATED",
              "SUSPICIOUS_ACTIVITY"
            ]
          },
          "userId": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "minimum": 1,
            "description": "The subject user."
          },
          "actorId": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "minimum": 1,
            "description": "The acting user."
          },
          "client": {
            "type": "string",
            "description": "The client IP address, or `console`."
          },
          "details": {
            "type": "object",
            "additionalProperties": true,
            "description": "Event-specific details; never a password, token or cookie."
          }
        }
      },
      "SecurityEventList": {
        "type": "object",
        "description": "A page of security events, newest first.",
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/SecurityEvent"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ],
            "description": "Pass as `cursor` to get the next page; null on the last page."
          }
        }
      },
      "TemporaryPassword": {
        "type": "object",
        "required": [
          "temporaryPassword"
        ],
        "properties": {
          "temporaryPassword": {
            "type": "string",
            "description": "A one-time password to hand to the user; shown once."
          }
        }
      },
      "RegisterRequest": {
        "type": "object",
        "required": [
          "email",
          "password",
          "firstName",
          "lastName"
        ],
        "properties": {
          "email": {
            "type": "string",
            "format": "email"
          },
          "password": {
            "type": "string",
            "format": "password",
            "minLength": 8,
            "maxLength": 128,
            "description": "8 to 128 characters with a lower-case letter, an upper-case letter, a digit and a special character; not a common password."
          },
          "firstName": {
            "type": "string",
            "minLength": 2,
            "maxLength": 50,
            "description": "2 to 50 characters (grapheme clusters, after trimming): letters and combining marks of any script, spaces, apostrophes (' and ’), hyphens, the middle dot and the zero-width non-joiner."
          },
          "lastName": {
            "type": "string",
            "minLength": 2,
            "maxLength": 50,
            "description": "2 to 50 characters (grapheme clusters, after trimming): letters and combining marks of any script, spaces, apostrophes (' and ’), hyphens, the middle dot and the zero-width non-joiner."
          }
        }
      },
      "LoginRequest": {
        "type": "object",
        "required": [
          "email",
          "password"
        ],
        "properties": {
          "email": {
            "type": "string"
          },
          "password": {
            "type": "string",
            "format": "password"
          }
        }
      },
      "RefreshRequest": {
        "type": "object",
        "properties": {
          "refreshToken": {
            "type": "string",
            "description": "The refresh token; when absent, the refresh_token cookie is used and the X-CSRF-Token header is required."
          }
        }
      },
      "PasswordChangeRequest": {
        "type": "object",
        "required": [
          "currentPassword",
          "newPassword"
        ],
        "properties": {
          "currentPassword": {
            "type": "string",
            "format": "password"
          },
          "newPassword": {
            "type": "string",
            "format": "password",
            "minLength": 8,
            "maxLength": 128,
            "description": "8 to 128 characters with a lower-case letter, an upper-case letter, a digit and a special character; not a common password."
          }
        }
      },
      "UserUpdateRequest": {
        "type": "object",
        "properties": {
          "firstName": {
            "type": "string",
            "minLength": 2,
            "maxLength": 50,
            "description": "2 to 50 characters (grapheme clusters, after trimming): letters and combining marks of any script, spaces, apostrophes (' and ’), hyphens, the middle dot and the zero-width non-joiner."
          },
          "lastName": {
            "type": "string",
            "minLength": 2,
            "maxLength": 50,
            "description": "2 to 50 characters (grapheme clusters, after trimming): letters and combining marks of any script, spaces, apostrophes (' and ’), hyphens, the middle dot and the zero-width non-joiner."
          },
          "isActive": {
            "type": "boolean",
            "description": "Deactivating signs the user out everywhere."
          }
        }
      },
      "RoleAssignmentRequest": {
        "type": "object",
        "required": [
          "roles"
        ],
        "properties": {
          "roles": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "The complete set of role names the user will hold."
          }
        }
      },
      "RolePermissionsRequest": {
        "type": "object",
        "required": [
          "permissions"
        ],
        "properties": {
          "permissions": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "The complete set of permission names the role will grant."
          }
        }
      },
      "PostCreateRequest": {
        "type": "object",
        "required": [
          "title",
          "content"
        ],
        "properties": {
          "title": {
            "type": "string",
            "minLength": 5,
            "maxLength": 200,
            "description": "5 to 200 characters (grapheme clusters, after trimming); unique per author, compared case-insensitively."
          },
          "content": {
            "type": "string",
            "minLength": 10,
            "maxLength": 10000,
            "description": "Rich text, 10 to 10,000 characters; cleaned on write by an allowlist (p br strong em b i u s a ul ol li blockquote code pre h1–h6; on a only absolute http, https or mailto href and title). Must keep at least 10 visible characters after cleaning."
          },
          "status": {
            "type": "string",
            "enum": [
              "draft",
              "published",
              "archived"
            ],
            "default": "draft"
          },
          "tags": {
            "type": "array",
            "maxItems": 10,
            "items": {
              "type": "string",
              "minLength": 2,
              "maxLength": 30
            },
            "description": "At most 10 tags of 2 to 30 characters, stored lower-case."
          }
        }
      },
      "PostUpdateRequest": {
        "type": "object",
        "properties": {
          "title": {
            "type": "string",
            "minLength": 5,
            "maxLength": 200,
            "description": "5 to 200 characters (grapheme clusters, after trimming); unique per author, compared case-insensitively."
          },
          "content": {
            "type": "string",
            "minLength": 10,
            "maxLength": 10000,
            "description": "Rich text, 10 to 10,000 characters; cleaned on write by an allowlist (p br strong em b i u s a ul ol li blockquote code pre h1–h6; on a only absolute http, https or mailto href and title). Must keep at least 10 visible characters after cleaning."
          },
          "tags": {
            "type": "array",
            "maxItems": 10,
            "items": {
              "type": "string",
              "minLength": 2,
              "maxLength": 30
            },
            "description": "At most 10 tags of 2 to 30 characters, stored lower-case."
          },
          "status": {
            "type": "string",
            "enum": [
              "draft",
              "published",
              "archived"
            ],
            "description": "Authors may set `draft` or `published`; with `posts:update`, any status."
          }
        }
      },
      "CommentCreateRequest": {
        "type": "object",
        "required": [
          "content"
        ],
        "properties": {
          "content": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2000,
            "description": "Rich text, 1 to 2,000 characters, cleaned like post content."
          },
          "parentId": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "minimum": 1,
            "description": "A comment on the same post to answer."
          }
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "Bad input or malformed JSON; `errors` lists every failing field.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/XRequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "Missing, invalid or expired credentials.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/XRequestId"
          },
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWWAuthenticate"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Forbidden": {
        "description": "Signed in but not allowed, or a failed CSRF check.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/XRequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "NotFound": {
        "description": "Unknown, or not visible to the caller.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/XRequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Conflict": {
        "description": "Conflicts with existing data.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/XRequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "ContentTooLarge": {
        "description": "The request body is over 1 MiB.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/XRequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "description": "The request body is not application/json.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/XRequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "TooManyRequests": {
        "description": "Throttled; try again after Retry-After seconds.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/XRequestId"
          },
          "Retry-After": {
            "$ref": "#/components/headers/RetryAfter"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "InternalError": {
        "description": "Something went wrong on the server; the detail says nothing more.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/XRequestId"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      }
    },
    "parameters": {
      "limit": {
        "name": "limit",
        "in": "query",
        "required": false,
        "description": "Page size, 1 to 100; anything else is 400.",
        "schema": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100,
          "default": 20
        }
      },
      "cursor": {
        "name": "cursor",
        "in": "query",
        "required": false,
        "description": "The `nextCursor` of the previous page.",
        "schema": {
          "type": "string"
        }
      },
      "q": {
        "name": "q",
        "in": "query",
        "required": false,
        "schema": {
          "type": "string"
        }
      },
      "role": {
        "name": "role",
        "in": "query",
        "required": false,
        "description": "Only users holding this role.",
        "schema": {
          "type": "string"
        }
      },
      "active": {
        "name": "active",
        "in": "query",
        "required": false,
        "description": "Only active (true) or inactive (false) users.",
        "schema": {
          "type": "boolean"
        }
      },
      "status": {
        "name": "status",
        "in": "query",
        "required": false,
        "description": "Only posts with this status (among those the caller may see).",
        "schema": {
          "type": "string",
          "enum": [
            "draft",
            "published",
            "archived"
          ]
        }
      },
      "author": {
        "name": "author",
        "in": "query",
        "required": false,
        "description": "Only posts by this user id.",
        "schema": {
          "type": "integer",
          "format": "int64",
          "minimum": 1
        }
      },
      "tag": {
        "name": "tag",
        "in": "query",
        "required": false,
        "description": "Only posts with this tag.",
        "schema": {
          "type": "string"
        }
      },
      "event": {
        "name": "event",
        "in": "query",
        "required": false,
        "description": "Only events of this kind.",
        "schema": {
          "type": "string",
          "enum": [
            "SUCCESSFUL_LOGIN",
            "FAILED_LOGIN",
            "ACCOUNT_LOCKED",
            "LOGOUT",
            "PASSWORD_CHANGE",
            "PASSWORD_RESET",
            "ROLE_CHANGE",
            "USER_UPDATE",
            "PERMISSION_DENIED",
            "TOKEN_REUSE",
            "CONTENT_MODERATED",
            "SUSPICIOUS_ACTIVITY"
          ]
        }
      },
      "userId": {
        "name": "userId",
        "in": "query",
        "required": false,
        "description": "Only events whose subject is this user.",
        "schema": {
          "type": "integer",
          "format": "int64",
          "minimum": 1
        }
      },
      "since": {
        "name": "since",
        "in": "query",
        "required": false,
        "description": "Only events at or after this time (ISO 8601).",
        "schema": {
          "type": "string",
          "format": "date-time"
        }
      },
      "id": {
        "name": "id",
        "in": "path",
        "required": true,
        "schema": {
          "type": "integer",
          "format": "int64",
          "minimum": 1
        }
      },
      "roleName": {
        "name": "name",
        "in": "path",
        "required": true,
        "description": "A role name.",
        "schema": {
          "type": "string"
        }
      }
    },
    "headers": {
      "XRequestId": {
        "description": "The request id: the client's X-Request-Id when it has 1 to 128 characters from A–Z a–z 0–9 . _ -, else a new one.",
        "schema": {
          "type": "string",
          "pattern": "^[A-Za-z0-9._-]{1,128}$"
        }
      },
      "RetryAfter": {
        "description": "Seconds to wait before trying again.",
        "schema": {
          "type": "integer",
          "minimum": 1
        }
      },
      "WWWAuthenticate": {
        "description": "The Bearer scheme.",
        "schema": {
          "type": "string",
          "examples": [
            "Bearer realm=\"steward\""
          ]
        }
      },
      "SetAuthCookies": {
        "description": "`access_token` and `refresh_token` (HttpOnly, SameSite=Strict, Secure in production; the refresh cookie's Path is /api/auth) and `csrf_token` (readable by scripts).",
        "schema": {
          "type": "string"
        }
      },
      "ClearAuthCookies": {
        "description": "Expires the access_token, refresh_token and csrf_token cookies.",
        "schema": {
          "type": "string"
        }
      }
    },
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The access token from login or refresh."
      },
      "cookieAuth": {
        "type": "apiKey",
        "in": "cookie",
        "name": "access_token",
        "description": "The access token cookie set at login. Requests that change state must also send X-CSRF-Token."
      },
      "csrfToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRF-Token",
        "description": "Equal to the csrf_token cookie; required on state-changing requests authenticated by cookie."
      },
      "refreshCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "refresh_token",
        "description": "The refresh token cookie (Path /api/auth)."
      }
    }
  }
}

"""###
}
