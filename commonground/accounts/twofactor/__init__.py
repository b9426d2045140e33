"""Two-step sign-in: after the password, a code from an authenticator app (TOTP) or a recovery code.

Built on django-otp: `TOTPDevice` holds the app's secret, `StaticDevice` the ten recovery codes (each used
once). `django_otp.middleware.OTPMiddleware` tells whether this session passed the second step
(`request.user.is_verified()`); `middleware.TwoFactorMiddleware` keeps a session that must pass it (or must
enrol first, under `policy`) to the code step, enrolment and logout. API tokens are not affected.
"""
