import { type Routes } from '@angular/router';
import { authGuard } from './core/auth.guard';

/** Every page is a lazy route; verify is public (anyone may verify a hash), the rest need a token. */
export const routes: Routes = [
  {
    path: 'sign-in',
    title: 'signIn.heading',
    loadComponent: () => import('./core/sign-in-page').then((m) => m.SignInPage),
  },
  {
    path: '',
    pathMatch: 'full',
    title: 'dashboard.heading',
    canActivate: [authGuard],
    loadComponent: () => import('./dashboard/dashboard-page').then((m) => m.DashboardPage),
  },
  {
    path: 'projects',
    title: 'projects.heading',
    canActivate: [authGuard],
    loadComponent: () => import('./projects/project-search-page').then((m) => m.ProjectSearchPage),
  },
  {
    path: 'projects/:projectCode',
    title: 'projects.provenance',
    canActivate: [authGuard],
    loadComponent: () => import('./projects/project-page').then((m) => m.ProjectPage),
  },
  {
    path: 'verify',
    title: 'verify.heading',
    loadComponent: () => import('./verify/verify-page').then((m) => m.VerifyPage),
  },
  {
    path: 'trust',
    title: 'trust.heading',
    loadComponent: () => import('./trust/trust-page').then((m) => m.TrustPage),
  },
  {
    path: 'recognition',
    title: 'recognition.heading',
    canActivate: [authGuard],
    loadComponent: () => import('./recognition/recognition-board-page').then((m) => m.RecognitionBoardPage),
  },
  {
    path: 'chain',
    title: 'chain.heading',
    canActivate: [authGuard],
    loadComponent: () => import('./chain/blocks-page').then((m) => m.BlocksPage),
  },
  {
    path: 'chain/blocks/:blockNumber',
    title: 'chain.heading',
    canActivate: [authGuard],
    loadComponent: () => import('./chain/block-page').then((m) => m.BlockPage),
  },
  {
    path: 'chain/transactions/:txId',
    title: 'chain.heading',
    canActivate: [authGuard],
    loadComponent: () => import('./chain/transaction-page').then((m) => m.TransactionPage),
  },
  {
    path: 'certificates',
    title: 'certificates.heading',
    canActivate: [authGuard],
    loadComponent: () => import('./certificates/certificate-page').then((m) => m.CertificatePage),
  },
  {
    path: 'audit',
    title: 'audit.heading',
    canActivate: [authGuard],
    loadComponent: () => import('./audit/audit-log-page').then((m) => m.AuditLogPage),
  },
  { path: '**', redirectTo: '' },
];
