@echo off
rem dllab launcher for Windows: builds the CLI on first use, then runs it offline with tracking off.
rem   dllab run mnist-mlp        set DLLAB_PROFILE=cuda for the CUDA build.
setlocal
set "ROOT=%~dp0"
set "JAR=%ROOT%cli\target\dllab-cli.jar"
set "JAVA_CMD=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA_CMD=%JAVA_HOME%\bin\java.exe"
where "%JAVA_CMD%" >nul 2>nul
if errorlevel 1 if not exist "%JAVA_CMD%" (
  echo dllab: Java 17 or newer is needed and none was found. Install a JDK 17+ or set JAVA_HOME. 1>&2
  exit /b 1
)
set "PROFILE_ARG="
if defined DLLAB_PROFILE set "PROFILE_ARG=-P%DLLAB_PROFILE%"
if not exist "%JAR%" (
  echo dllab: building ^(first run; downloads dependencies, a few minutes^)... 1>&2
  pushd "%ROOT%"
  call mvnw.cmd -q -DskipTests install -pl cli -am %PROFILE_ARG%
  if errorlevel 1 (
    popd
    echo dllab: the build failed ^(see above^). 1>&2
    exit /b 1
  )
  popd
)
set "DJL_OFFLINE=true"
set "OPT_OUT_TRACKING=true"
set "DLLAB_HOME=%ROOT:~0,-1%"
"%JAVA_CMD%" -XX:+UseParallelGC %JAVA_OPTS% -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dfile.encoding=UTF-8 -cp "%JAR%;%ROOT%cli\target\lib\*" org.dllab.cli.Main %*
exit /b %ERRORLEVEL%
