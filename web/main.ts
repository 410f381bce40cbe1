import './components/ph-app';
