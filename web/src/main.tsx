// The Opsroom entry point: session and connection providers around the shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
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
          <App />
        </ConnectionProvider>
      </SessionProvider>
    </StrictMode>,
  );
