import type { Request } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { authenticate, type SignInResult } from '../models/authentication.js';
import { scopeOf } from './context.js';

/**
 * Passport with one local strategy, per app (never the shared singleton). The strategy asks
 * models/authentication for the verdict; sessions are handled by us (see session-user.ts),
 * so passport never touches the session.
 */
export function createPassport(): passport.PassportStatic {
  const instance = new passport.Passport() as passport.PassportStatic;
  instance.use(
    new LocalStrategy(
      { usernameField: 'login', passwordField: 'password', passReqToCallback: true, session: false },
      (req: Request, login: string, password: string, done) => {
        authenticate(scopeOf(req), { login, password, ip: req.ip ?? 'unknown' }, { bcryptCost: req.deps.config.bcryptCost })
          // The verdict travels as passport's "info", so the controller can tell a throttle from a refusal.
          .then((result) => done(null, result.outcome === 'signed-in' ? result.user : false, { message: result.outcome, ...result }))
          .catch((error: unknown) => done(error));
      },
    ),
  );
  return instance;
}

/** Runs the local strategy for this request and resolves with the verdict. */
export function signInWithPassword(instance: passport.PassportStatic, req: Request): Promise<SignInResult> {
  return new Promise((resolve, reject) => {
    const handler = instance.authenticate('local', { session: false }, (error: unknown, _user: unknown, info: SignInResult | undefined) => {
      if (error) return reject(error);
      resolve(info ?? { outcome: 'refused' });
    });
    handler(req, {} as never, reject);
  });
}
