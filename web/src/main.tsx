// The Opsroom entry point: session and connection providers around the shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AlertsProvider } from './api/alerts';
import { SessionProvider } from './api/session';
import { App } from './app/App';
import { ConnectionProvider } from './app/connection';
import './styles.css';

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <SessionProvider>
        <ConnectionProvider>
          <AlertsProvider>
            <App />
          </AlertsProvider>
        </ConnectionProvider>
      </SessionProvider>
    </StrictMode>,
  );
